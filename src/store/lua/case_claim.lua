-- Takes due timers, pushing each to the end of a lease: if the gateway that took it dies,
-- the timer comes due again and another gateway handles it.
-- KEYS: timers. ARGV: now ms, lease ms, limit.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
