-- KEYS: message, ref. ARGV: key prefix, attempt, id, provider, provider id, keep seconds.
local f = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'kind')
if f[1] ~= 'sending' or f[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'sent', 'sent_by', ARGV[4], 'provider_id', ARGV[5])
redis.call('HDEL', KEYS[1], 'to', 'body')
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('ZREM', ARGV[1] .. (f[3] == 'page' and 'due:page' or 'due'), ARGV[3])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[6])
return 1
