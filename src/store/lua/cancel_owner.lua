-- Her quick exit or erasure: messages of hers not yet sent are cancelled (one being sent too:
-- its worker's SENT is then refused, and a lost worker's claim is not sent again); with erase,
-- every message of hers loses its sealed number and text, and the list of them goes.
-- KEYS: owner set. ARGV: key prefix, erase.
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. 'msg:' .. id
  local f = redis.call('HMGET', key, 'state', 'kind')
  if f[1] == 'queued' or f[1] == 'sending' then
    redis.call('HSET', key, 'state', 'cancelled')
    redis.call('HDEL', key, 'to', 'body')
    redis.call('ZREM', ARGV[1] .. (f[2] == 'page' and 'due:page' or 'due'), id)
    n = n + 1
  elseif ARGV[2] == '1' and f[1] then
    redis.call('HDEL', key, 'to', 'body')
  end
end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
return n
