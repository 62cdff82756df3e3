-- KEYS: due, dead. ARGV: now ms, message key prefix, then ids.
local n = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local key = ARGV[2] .. id
  if redis.call('ZREM', KEYS[2], id) == 1 and redis.call('HEXISTS', key, 'to') == 1 then
    redis.call('HSET', key, 'state', 'queued', 'attempts', 0)
    redis.call('PERSIST', key)
    redis.call('ZADD', KEYS[1], ARGV[1], id)
    n = n + 1
  end
end
return n
