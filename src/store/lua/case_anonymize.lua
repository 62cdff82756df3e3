-- Drops a case's contact details and every key naming her pseudonym; the case stays as a
-- statistic. The pseudonym is read here (a HGETALL into text would choke on the sealed number).
-- KEYS: case. ARGV: id, key prefix.
local f = redis.call('HMGET', KEYS[1], 'pseudonym', 'helpline')
local who = f[1]
if not who then return 0 end
if who ~= '' then
  redis.call('SREM', ARGV[2] .. 'by:' .. who, ARGV[1])
  local survivor = ARGV[2] .. 'for:' .. who .. ':' .. (f[2] or '')
  if redis.call('GET', survivor) == ARGV[1] then redis.call('DEL', survivor) end
end
redis.call('HSET', KEYS[1], 'number', '', 'note', '', 'outcome', '', 'pseudonym', '')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
