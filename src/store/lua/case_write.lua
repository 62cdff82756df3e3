-- Writes a case if it is still at the version it was read at.
-- KEYS: case, log, timers, open, code, for.
-- ARGV: id, version, timer ('keep', 'clear' or due ms), close ('1' or '0'), number of log
-- lines, the lines, then field pairs.
if tonumber(redis.call('HGET', KEYS[1], 'version') or '-1') ~= tonumber(ARGV[2]) then return 0 end
local nlog = tonumber(ARGV[5])
for i = 6, 5 + nlog do redis.call('RPUSH', KEYS[2], ARGV[i]) end
-- A trail keeps its newest 200 lines (store::cases::LOG_LINES_KEPT).
if nlog > 0 then redis.call('LTRIM', KEYS[2], -200, -1) end
for i = 6 + nlog, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HINCRBY', KEYS[1], 'version', 1)
if ARGV[3] == 'clear' then
  redis.call('ZREM', KEYS[3], ARGV[1])
elseif ARGV[3] ~= 'keep' then
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
end
if ARGV[4] == '1' then
  redis.call('SREM', KEYS[4], ARGV[1])
  if redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end
  if redis.call('GET', KEYS[6]) == ARGV[1] then redis.call('DEL', KEYS[6]) end
end
return 1
