-- Replaces a value only if it is still what was read (a live write wins over a re-seal).
-- KEYS: key. ARGV: kind ('string', 'hash', 'list'), field or index, old, new.
if ARGV[1] == 'string' then
  if redis.call('GET', KEYS[1]) ~= ARGV[3] then return 0 end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[4]) end
elseif ARGV[1] == 'hash' then
  if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[3] then return 0 end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
else
  if redis.call('LINDEX', KEYS[1], ARGV[2]) ~= ARGV[3] then return 0 end
  redis.call('LSET', KEYS[1], ARGV[2], ARGV[4])
end
return 1
