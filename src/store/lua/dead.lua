-- KEYS: message, dead letters. ARGV: key prefix, attempt, id, now ms, error, keep seconds,
-- dead letters kept at most. The dead letters are trimmed by age and by count.
local f = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'kind')
if f[1] ~= 'sending' or f[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'dead', 'error', ARGV[5], 'dead_at', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('ZREM', ARGV[1] .. (f[3] == 'page' and 'due:page' or 'due'), ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[6]) * 1000)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[7]) - 1)
return 1
