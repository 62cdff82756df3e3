-- Opens a case, or merges into the survivor's open one (see `store::cases`).
-- KEYS: for, code, case, log, timers, open, by (her cases), all.
-- ARGV: id, urgency rank, urgency, due ms, log created, log raised, log updated, key prefix,
-- number of update pairs, the update pairs, then the new case's field pairs.
local n = tonumber(ARGV[9])
local existing = redis.call('GET', KEYS[1])
if existing then
  local key = ARGV[8] .. 'case:' .. existing
  local log = ARGV[8] .. 'log:' .. existing
  for i = 10, 9 + 2 * n, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
  local rank = tonumber(redis.call('HGET', key, 'urgency_rank') or '0')
  if tonumber(ARGV[2]) > rank then
    redis.call('HSET', key, 'urgency', ARGV[3], 'urgency_rank', ARGV[2])
    local state = redis.call('HGET', key, 'state')
    if state ~= 'acknowledged' and state ~= 'closed' then
      redis.call('HSET', key, 'state', 'open', 'next_level', '0', 'next_round', '0')
      redis.call('ZADD', KEYS[5], ARGV[4], existing)
    end
    redis.call('RPUSH', log, ARGV[6])
  else
    redis.call('RPUSH', log, ARGV[7])
  end
  redis.call('LTRIM', log, -200, -1) -- store::cases::LOG_LINES
  redis.call('HINCRBY', key, 'version', 1)
  return {existing, 0}
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'', -1} end
for i = 10 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[3], 'version', 1)
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('ZADD', KEYS[8], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[5])
-- Wakes one gateway's escalation worker (they block on this list instead of polling).
redis.call('LPUSH', ARGV[8] .. 'wake', 1)
redis.call('LTRIM', ARGV[8] .. 'wake', 0, 63)
-- `all` keeps the newest 100 000 cases (store::cases::CASES_KEPT): the oldest closed ones go
-- with their trail; an open one stays until it closes.
local excess = redis.call('ZCARD', KEYS[8]) - 100000
if excess > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[8], 0, excess - 1)) do
    if redis.call('HGET', ARGV[8] .. 'case:' .. old, 'state') == 'closed' then
      redis.call('DEL', ARGV[8] .. 'case:' .. old, ARGV[8] .. 'log:' .. old)
      redis.call('ZREM', KEYS[8], old)
    end
  end
end
return {ARGV[1], 1}
