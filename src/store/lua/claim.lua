-- Claims due messages (see `store::outbox` for why a message found `sending` is not resent).
-- The message keys are built here from their ids; they share the `{outbox}` tag, so they sit on
-- the due set's slot.
-- KEYS: due, dead. ARGV: now ms, lease ms, limit, message key prefix, lost-worker reason.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local claimed = {}
for _, id in ipairs(ids) do
  local key = ARGV[4] .. id
  local state = redis.call('HGET', key, 'state')
  if not state then
    redis.call('ZREM', KEYS[1], id)
  elseif state == 'sending' then
    redis.call('HSET', key, 'state', 'dead', 'error', ARGV[5], 'dead_at', ARGV[1])
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZADD', KEYS[2], ARGV[1], id)
  else
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'state', 'sending')
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
    local f = redis.call('HMGET', key, 'helpline', 'provider', 'fallback', 'to', 'body', 'sender')
    table.insert(claimed, {id, attempts, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '', f[6] or ''})
  end
end
return claimed
