-- KEYS: case, by (her cases). ARGV: id.
local who = redis.call('HGET', KEYS[1], 'pseudonym')
if not who then return 0 end
redis.call('HSET', KEYS[1], 'number', '', 'note', '', 'pseudonym', '')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
