-- Claims the one message due first, pages before replies (see `store::outbox`). A message still
-- `sending` here has outlived its lease: its worker is lost. If that worker had started the send
-- (`started` is its attempt) the provider may have it: the message is marked `again` for good.
-- Message keys are built from ids; they share the `{outbox}` tag, so they sit on this slot.
-- KEYS: page queue, reply queue. ARGV: now ms, lease ms, message key prefix.
-- Returns {id, attempt, tries, kind, helpline, provider, fallback, to, body, sender, again}, or
-- {'', earliest due time or ''} when nothing is due.
local now = tonumber(ARGV[1])
for _, queue in ipairs(KEYS) do
  while true do
    local first = redis.call('ZRANGEBYSCORE', queue, '-inf', now, 'LIMIT', 0, 1)
    if #first == 0 then break end
    local id = first[1]
    local key = ARGV[3] .. id
    local f = redis.call('HMGET', key, 'state', 'attempt', 'started')
    if f[1] == 'queued' or f[1] == 'sending' then
      if f[1] == 'sending' and f[3] and f[3] == f[2] then redis.call('HSET', key, 'again', '1') end
      local attempt = redis.call('HINCRBY', key, 'attempt', 1)
      local tries = redis.call('HINCRBY', key, 'tries', 1)
      redis.call('HSET', key, 'state', 'sending')
      redis.call('ZADD', queue, now + tonumber(ARGV[2]), id)
      local m = redis.call('HMGET', key, 'kind', 'helpline', 'provider', 'fallback', 'to', 'body', 'sender', 'again')
      return {id, tostring(attempt), tostring(tries), m[1] or '', m[2] or '', m[3] or '', m[4] or '', m[5] or '',
        m[6] or '', m[7] or '', m[8] or '0'}
    end
    redis.call('ZREM', queue, id)
  end
end
local earliest = ''
for _, queue in ipairs(KEYS) do
  local first = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
  if #first > 0 and (earliest == '' or tonumber(first[2]) < tonumber(earliest)) then earliest = first[2] end
end
return {'', earliest}
