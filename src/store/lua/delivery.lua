-- KEYS: ref. ARGV: message key prefix, state. A dead message stays dead.
local id = redis.call('GET', KEYS[1])
if not id then return false end
local key = ARGV[1] .. id
local state = redis.call('HGET', key, 'state')
if state and state ~= 'dead' then redis.call('HSET', key, 'state', ARGV[2]) end
return id
