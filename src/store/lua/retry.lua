-- KEYS: message. ARGV: key prefix, attempt, id, due ms, error.
local f = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'kind')
if f[1] ~= 'sending' or f[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued', 'error', ARGV[5])
redis.call('ZADD', ARGV[1] .. (f[3] == 'page' and 'due:page' or 'due'), ARGV[4], ARGV[3])
return 1
