-- KEYS: message, due, ref. ARGV: id, provider, provider id, keep seconds.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'sent', 'sent_by', ARGV[2], 'provider_id', ARGV[3])
redis.call('HDEL', KEYS[1], 'to', 'body')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1], 'EX', ARGV[4])
return 1
