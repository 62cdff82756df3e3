-- Saves a hop. Refuses to move a session backwards (a retry or a late, reordered request
-- carries no more hops than what is stored), so effects happen once: the caller applies them
-- only when this returns 1.
--
-- KEYS[1] session, KEYS[2] remembered locale.
-- ARGV[1] hops of the new state, ARGV[2] encoded session ('' deletes it), ARGV[3] its TTL in
-- seconds, ARGV[4] locale to remember ('' for none), ARGV[5] that TTL in seconds.
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  return 1
end
local current = redis.call('GET', KEYS[1])
if current and #current >= 2 then
  local hops = string.byte(current, 1) * 256 + string.byte(current, 2)
  if hops >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[5]) end
return 1
