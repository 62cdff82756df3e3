-- Saves an inbound SMS's result. Marking the message seen is the first step and the guard:
-- a provider's retry (or a second instance racing on it) finds it seen and writes nothing.
--
-- KEYS: session, seen, transcript, locale.
-- ARGV: sealed session ('' deletes it and the transcript), its TTL, the seen TTL, a sealed free
-- text ('' none), locale to remember ('' none), that TTL.
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then return 0 end
if ARGV[1] == '' then
  redis.call('DEL', KEYS[1], KEYS[3])
else
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
if ARGV[4] ~= '' then
  redis.call('RPUSH', KEYS[3], ARGV[4])
  redis.call('LTRIM', KEYS[3], -200, -1)
  redis.call('EXPIRE', KEYS[3], ARGV[2])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[5], 'EX', ARGV[6]) end
return 1
