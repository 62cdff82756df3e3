-- `salama outbox retry`: dead letters only, back in their queue with fresh tries.
-- KEYS: dead letters. ARGV: key prefix, now ms, then ids.
local n = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local key = ARGV[1] .. 'msg:' .. id
  local f = redis.call('HMGET', key, 'state', 'kind', 'to')
  if redis.call('ZREM', KEYS[1], id) == 1 and f[1] == 'dead' and f[3] then
    redis.call('HSET', key, 'state', 'queued', 'tries', 0)
    redis.call('PERSIST', key)
    redis.call('ZADD', ARGV[1] .. (f[2] == 'page' and 'due:page' or 'due'), ARGV[2], id)
    n = n + 1
  end
end
if n > 0 then
  redis.call('LPUSH', ARGV[1] .. 'wake', 1)
  redis.call('LTRIM', ARGV[1] .. 'wake', 0, 63)
end
return n
