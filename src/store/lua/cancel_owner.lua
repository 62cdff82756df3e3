-- Her quick exit or erasure: queued messages are cancelled; with erase, every message of hers
-- loses its sealed number and text. KEYS: owner set, due. ARGV: message key prefix, erase.
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local state = redis.call('HGET', key, 'state')
  if state == 'queued' then
    redis.call('HSET', key, 'state', 'cancelled')
    redis.call('HDEL', key, 'to', 'body')
    redis.call('ZREM', KEYS[2], id)
    n = n + 1
  elseif ARGV[2] == '1' and state ~= 'sending' then
    redis.call('HDEL', key, 'to', 'body')
  end
end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
return n
