-- GCRA (reference/crates.md §10). KEYS: the sender's key. ARGV: emission interval ms, burst.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
if now < tat - ARGV[1] * ARGV[2] then return 0 end
redis.call('SET', KEYS[1], tat + ARGV[1], 'PX', math.ceil(tat + ARGV[1] - now))
return 1
