-- Undoes a hop's save that moved a session backwards (its `SET … GET` replaced a state with as
-- many hops or more: a retry or a late request), or that stepped from a state the gateway kept
-- and found the store holding another, or nothing (`save_unless_blocked`). Puts back the state it replaced if the key
-- still holds what the save wrote, or a state with fewer hops than that one (another such save
-- made since); not over a newer hop, nor over nothing (her quick exit). Puts back the remembered
-- language too, if it still holds the one the save wrote.
--
-- KEYS[1] session, KEYS[2] remembered locale.
-- ARGV[1] what the save wrote, ARGV[2] the state it replaced ('' for none), ARGV[3] the locale it wrote ('' for
-- none), ARGV[4] the locale that one replaced ('' for none).
local function hops(v) return string.byte(v, 1) * 256 + string.byte(v, 2) end
local current = redis.call('GET', KEYS[1])
if ARGV[2] == '' then
  -- It replaced nothing (a session the gateway kept, which the store no longer held): it goes.
  if current == ARGV[1] then redis.call('DEL', KEYS[1]) end
elseif current and (current == ARGV[1] or (#current >= 2 and hops(current) < hops(ARGV[2]))) then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then
  if ARGV[4] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[4], 'KEEPTTL') end
end
return 1
