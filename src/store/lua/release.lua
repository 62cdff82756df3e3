-- REQUEUE: a claim given back before its send started (a worker stopping); the try is not
-- counted. KEYS: message. ARGV: key prefix, attempt, id, now ms.
local f = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'kind', 'started')
if f[1] ~= 'sending' or f[2] ~= ARGV[2] or f[4] == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued')
redis.call('HINCRBY', KEYS[1], 'tries', -1)
redis.call('ZADD', ARGV[1] .. (f[3] == 'page' and 'due:page' or 'due'), ARGV[4], ARGV[3])
redis.call('LPUSH', ARGV[1] .. 'wake', 1)
redis.call('LTRIM', ARGV[1] .. 'wake', 0, 63)
return 1
