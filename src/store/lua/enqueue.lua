-- KEYS: message, due, owner set. ARGV: id, due ms, owner ('' none), then field/value pairs.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
if ARGV[3] ~= '' then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
