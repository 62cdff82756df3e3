//! The Redis backend: one MGET to load a hop, one script to save it.

use std::collections::HashMap;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script, TlsCertificates};

use super::cases::{CaseOpen, CaseWrite, Opened, PREFIX, Timer};
use super::outbox::LOST_WORKER;
use super::{Claimed, DeadLetter, Enqueue, Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave, StoreError};

/// Longest a survivor waits on Redis in one call. Africa's Talking gives the whole hop 15 s,
/// and a survivor on a shared phone should not stare at a spinner: fail fast, show the fallback.
const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// Saves a hop. Refuses to move a session backwards (a retry or a late, reordered request
/// carries no more hops than what is stored), so effects happen once: the caller applies them
/// only when this returns 1.
///
/// KEYS[1] session, KEYS[2] remembered locale.
/// ARGV[1] hops of the new state, ARGV[2] encoded session ('' deletes it), ARGV[3] its TTL in
/// seconds, ARGV[4] locale to remember ('' for none), ARGV[5] that TTL in seconds.
const SAVE_SESSION: &str = r"
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
";

/// Saves an inbound SMS's result. Marking the message seen is the first step and the guard:
/// a provider's retry (or a second instance racing on it) finds it seen and writes nothing.
///
/// KEYS: session, seen, transcript, locale.
/// ARGV: sealed session ('' deletes it and the transcript), its TTL, the seen TTL, a sealed free
/// text ('' none), locale to remember ('' none), that TTL.
const SAVE_SMS: &str = r"
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
";

const OUTBOX: &str = "salama:{outbox}";

/// KEYS: message, due, owner set. ARGV: id, due ms, owner ('' none), then field/value pairs.
const ENQUEUE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
if ARGV[3] ~= '' then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
";

/// Her quick exit or erasure: queued messages are cancelled; with erase, every message of hers
/// loses its sealed number and text. KEYS: owner set, due. ARGV: message key prefix, erase.
const CANCEL_OWNER: &str = r"
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local state = redis.call('HGET', key, 'state')
  if state == 'queued' then
    redis.call('HSET', key, 'state', 'cancelled')
    redis.call('HDEL', key, 'to', 'body')
    redis.call('ZREM', KEYS[2], id)
    n = n + 1
  elseif ARGV[2] == '1' and state ~= 'sending' then
    redis.call('HDEL', key, 'to', 'body')
  end
end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
return n
";

/// GCRA (reference/crates.md §10). KEYS: the sender's key. ARGV: emission interval ms, burst.
const RATE: &str = r"
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
if now < tat - ARGV[1] * ARGV[2] then return 0 end
redis.call('SET', KEYS[1], tat + ARGV[1], 'PX', math.ceil(tat + ARGV[1] - now))
return 1
";

/// Claims due messages (see `store::outbox` for why a message found `sending` is not resent).
/// The message keys are built here from their ids; they share the `{outbox}` tag, so they sit on
/// the due set's slot.
/// KEYS: due, dead. ARGV: now ms, lease ms, limit, message key prefix, lost-worker reason.
const CLAIM: &str = r"
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
";

/// KEYS: message, due, ref. ARGV: id, provider, provider id, keep seconds.
const SENT: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'sent', 'sent_by', ARGV[2], 'provider_id', ARGV[3])
redis.call('HDEL', KEYS[1], 'to', 'body')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1], 'EX', ARGV[4])
return 1
";

/// KEYS: message, due. ARGV: id, due ms, error.
const RETRY: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued', 'error', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
";

/// KEYS: message, due, dead. ARGV: id, now ms, error, keep seconds.
const DEAD: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'dead', 'error', ARGV[3], 'dead_at', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
";

/// KEYS: ref. ARGV: message key prefix, state. A dead message stays dead.
const DELIVERY: &str = r"
local id = redis.call('GET', KEYS[1])
if not id then return false end
local key = ARGV[1] .. id
local state = redis.call('HGET', key, 'state')
if state and state ~= 'dead' then redis.call('HSET', key, 'state', ARGV[2]) end
return id
";

/// KEYS: due, dead. ARGV: now ms, message key prefix, then ids.
const REQUEUE: &str = r"
local n = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local key = ARGV[2] .. id
  if redis.call('ZREM', KEYS[2], id) == 1 and redis.call('HEXISTS', key, 'to') == 1 then
    redis.call('HSET', key, 'state', 'queued', 'attempts', 0)
    redis.call('PERSIST', key)
    redis.call('ZADD', KEYS[1], ARGV[1], id)
    n = n + 1
  end
end
return n
";

/// Opens a case, or merges into the survivor's open one (see `store::cases`).
/// KEYS: for, code, case, log, timers, open, by (her cases), all.
/// ARGV: id, urgency rank, urgency, due ms, log created, log raised, log updated, key prefix,
/// number of update pairs, the update pairs, then the new case's field pairs.
const CASE_OPEN: &str = r"
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
return {ARGV[1], 1}
";

/// Writes a case if it is still at the version it was read at.
/// KEYS: case, log, timers, open, code, for.
/// ARGV: id, version, timer ('keep', 'clear' or due ms), close ('1' or '0'), number of log
/// lines, the lines, then field pairs.
const CASE_WRITE: &str = r"
if tonumber(redis.call('HGET', KEYS[1], 'version') or '-1') ~= tonumber(ARGV[2]) then return 0 end
local nlog = tonumber(ARGV[5])
for i = 6, 5 + nlog do redis.call('RPUSH', KEYS[2], ARGV[i]) end
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
";

/// Takes due timers, pushing each to the end of a lease: if the gateway that took it dies,
/// the timer comes due again and another gateway handles it.
/// KEYS: timers. ARGV: now ms, lease ms, limit.
const CASE_CLAIM: &str = r"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
";

/// KEYS: case, by (her cases). ARGV: id.
const CASE_ANONYMIZE: &str = r"
local who = redis.call('HGET', KEYS[1], 'pseudonym')
if not who then return 0 end
redis.call('HSET', KEYS[1], 'number', '', 'note', '', 'pseudonym', '')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
";

/// KEYS: purge. ARGV: now ms, limit.
const PURGE_DUE: &str = r"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, id in ipairs(ids) do redis.call('ZREM', KEYS[1], id) end
return ids
";

/// Replaces a value only if it is still what was read (a live write wins over a re-seal).
/// KEYS: key. ARGV: kind ('string', 'hash', 'list'), field or index, old, new.
const REPLACE_IF_SAME: &str = r"
if ARGV[1] == 'string' then
  if redis.call('GET', KEYS[1]) ~= ARGV[3] then return 0 end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[4]) end
elseif ARGV[1] == 'hash' then
  if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[3] then return 0 end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
else
  if redis.call('LINDEX', KEYS[1], ARGV[2]) ~= ARGV[3] then return 0 end
  redis.call('LSET', KEYS[1], ARGV[2], ARGV[4])
end
return 1
";

/// A sealed value found by `reseal_all`: (kind, field or index, value, context, bytes kept in
/// clear at the front).
type SealedRecord = (&'static str, String, Vec<u8>, Vec<u8>, usize);

/// What re-sealing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    pub resealed: usize,
    pub current: usize,
    /// Records no configured key opens.
    pub unreadable: usize,
}

/// Re-seals one record: `Ok(Some(new))`, `Ok(None)` when already current, `Err` when unreadable.
pub type Reseal<'a> = &'a (dyn Fn(&[u8], &[u8]) -> Result<Option<Vec<u8>>, ()> + Sync);

pub struct RedisStore {
    connection: ConnectionManager,
    save_session: Script,
    save_sms: Script,
    enqueue: Script,
    claim: Script,
    sent: Script,
    retry: Script,
    dead: Script,
    delivery: Script,
    requeue: Script,
    case_open: Script,
    case_write: Script,
    case_claim: Script,
    cancel_owner: Script,
    rate: Script,
    case_anonymize: Script,
    purge_due: Script,
    replace_if_same: Script,
}

fn message_key(id: &str) -> String {
    format!("{OUTBOX}:msg:{id}")
}

impl RedisStore {
    pub fn open(url: &str, ca_pem: Option<Vec<u8>>) -> Result<Self, StoreError> {
        let scheme_ok = ["redis://", "rediss://", "redis+unix://", "unix://"].iter().any(|s| url.starts_with(s));
        if !scheme_ok {
            return Err(StoreError::Url(redact_url(url)));
        }
        let client = match ca_pem {
            Some(root_cert) => {
                Client::build_with_tls(url, TlsCertificates { client_tls: None, root_cert: Some(root_cert) })
            }
            None => Client::open(url),
        }
        .map_err(|_| StoreError::Url(redact_url(url)))?;
        // The defaults wait 7-9 s per call during an outage (reference/crates.md §3).
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(200))
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(800)));
        let connection = ConnectionManager::new_lazy_with_config(client, config)?;
        Ok(RedisStore {
            connection,
            save_session: Script::new(SAVE_SESSION),
            save_sms: Script::new(SAVE_SMS),
            enqueue: Script::new(ENQUEUE),
            claim: Script::new(CLAIM),
            sent: Script::new(SENT),
            retry: Script::new(RETRY),
            dead: Script::new(DEAD),
            delivery: Script::new(DELIVERY),
            requeue: Script::new(REQUEUE),
            case_open: Script::new(CASE_OPEN),
            case_write: Script::new(CASE_WRITE),
            case_claim: Script::new(CASE_CLAIM),
            cancel_owner: Script::new(CANCEL_OWNER),
            rate: Script::new(RATE),
            case_anonymize: Script::new(CASE_ANONYMIZE),
            purge_due: Script::new(PURGE_DUE),
            replace_if_same: Script::new(REPLACE_IF_SAME),
        })
    }

    pub async fn load_first_hop(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        let mut c = self.connection.clone();
        let (locale, blocked): (Option<String>, Option<String>) =
            timed(redis::cmd("MGET").arg(&keys.locale).arg(&keys.blocked).query_async(&mut c)).await?;
        Ok(Loaded { session: None, locale, blocked: blocked.is_some() })
    }

    pub async fn load(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        let mut c = self.connection.clone();
        let (session, locale, blocked): (Option<Vec<u8>>, Option<String>, Option<String>) =
            timed(redis::cmd("MGET").arg(&keys.session).arg(&keys.locale).arg(&keys.blocked).query_async(&mut c))
                .await?;
        Ok(Loaded { session, locale, blocked: blocked.is_some() })
    }

    pub async fn save(&self, keys: &SessionKeys, save: &SessionSave<'_>) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.save_session.key(&keys.session);
        invocation
            .key(&keys.locale)
            .arg(save.hops)
            .arg(save.session.unwrap_or_default())
            .arg(save.ttl.as_secs().max(1))
            .arg(save.remember.unwrap_or_default())
            .arg(save.remember_ttl.as_secs().max(1));
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(written == 1)
    }

    pub async fn load_sms(&self, keys: &SmsKeys) -> Result<LoadedSms, StoreError> {
        let mut c = self.connection.clone();
        type Row = (Option<Vec<u8>>, Option<String>, Option<String>, Option<String>);
        let (session, seen, locale, blocked): Row = timed(
            redis::cmd("MGET")
                .arg(&keys.session)
                .arg(&keys.seen)
                .arg(&keys.locale)
                .arg(&keys.blocked)
                .query_async(&mut c),
        )
        .await?;
        Ok(LoadedSms { session, seen: seen.is_some(), locale, blocked: blocked.is_some() })
    }

    pub async fn save_sms(&self, keys: &SmsKeys, save: &SmsSave<'_>) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.save_sms.key(&keys.session);
        invocation
            .key(&keys.seen)
            .key(&keys.transcript)
            .key(&keys.locale)
            .arg(save.session.unwrap_or_default())
            .arg(save.ttl.as_secs().max(1))
            .arg(save.seen_ttl.as_secs().max(1))
            .arg(save.transcript.unwrap_or_default())
            .arg(save.remember.unwrap_or_default())
            .arg(save.remember_ttl.as_secs().max(1));
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(written == 1)
    }

    pub async fn transcript(&self, keys: &SmsKeys) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("LRANGE").arg(&keys.transcript).arg(0).arg(-1).query_async(&mut c)).await
    }

    pub async fn outbox_enqueue(&self, m: &Enqueue) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.enqueue.key(message_key(&m.id));
        let owner = m.owner.as_deref().unwrap_or_default();
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:owner:{owner}"));
        invocation.arg(&m.id).arg(m.due_ms).arg(owner);
        invocation.arg("state").arg("queued").arg("attempts").arg(0);
        invocation.arg("sender").arg(m.sender.as_deref().unwrap_or_default());
        invocation.arg("helpline").arg(&m.helpline).arg("provider").arg(&m.provider);
        invocation.arg("fallback").arg(m.fallback.as_deref().unwrap_or(""));
        invocation.arg("to").arg(&m.to).arg("body").arg(&m.body);
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(written == 1)
    }

    pub async fn outbox_claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<Claimed>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.claim.key(format!("{OUTBOX}:due"));
        invocation.key(format!("{OUTBOX}:dead")).arg(now_ms).arg(lease_ms).arg(limit).arg(format!("{OUTBOX}:msg:"));
        invocation.arg(LOST_WORKER);
        type Row = (String, u32, String, String, String, Vec<u8>, Vec<u8>, String);
        let rows: Vec<Row> = timed(invocation.invoke_async(&mut c)).await?;
        Ok(rows
            .into_iter()
            .map(|(id, attempts, helpline, provider, fallback, to, body, sender)| Claimed {
                id,
                helpline,
                provider,
                fallback: Some(fallback).filter(|f| !f.is_empty()),
                to,
                body,
                attempts,
                sender: Some(sender).filter(|s| !s.is_empty()),
            })
            .collect())
    }

    pub async fn outbox_sent(
        &self,
        id: &str,
        provider: &str,
        provider_id: &str,
        keep: Duration,
    ) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.sent.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:ref:{provider}:{provider_id}"));
        invocation.arg(id).arg(provider).arg(provider_id).arg(keep.as_secs().max(1));
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub async fn outbox_retry(&self, id: &str, due_ms: u64, error: &str) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.retry.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).arg(id).arg(due_ms).arg(error);
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub async fn outbox_dead(&self, id: &str, now_ms: u64, error: &str, keep: Duration) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.dead.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:dead"));
        invocation.arg(id).arg(now_ms).arg(error).arg(keep.as_secs().max(1));
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub async fn outbox_delivery(
        &self,
        provider: &str,
        provider_id: &str,
        state: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.delivery.key(format!("{OUTBOX}:ref:{provider}:{provider_id}"));
        invocation.arg(format!("{OUTBOX}:msg:")).arg(state);
        timed(invocation.invoke_async(&mut c)).await
    }

    pub async fn outbox_dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let mut c = self.connection.clone();
        let ids: Vec<String> = timed(
            redis::cmd("ZREVRANGE")
                .arg(format!("{OUTBOX}:dead"))
                .arg(0)
                .arg(limit.saturating_sub(1))
                .query_async(&mut c),
        )
        .await?;
        let mut letters = Vec::new();
        for id in ids {
            type Fields = (Option<String>, Option<String>, Option<u32>, Option<String>, Option<u64>);
            let (helpline, provider, attempts, error, at): Fields = timed(
                redis::cmd("HMGET")
                    .arg(message_key(&id))
                    .arg(&["helpline", "provider", "attempts", "error", "dead_at"])
                    .query_async(&mut c),
            )
            .await?;
            letters.push(DeadLetter {
                id,
                helpline: helpline.unwrap_or_default(),
                provider: provider.unwrap_or_default(),
                attempts: attempts.unwrap_or(0),
                error: error.unwrap_or_default(),
                at_ms: at.unwrap_or(0),
            });
        }
        Ok(letters)
    }

    pub async fn outbox_requeue(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let ids: Vec<String> = match id {
            Some(id) => vec![id.to_owned()],
            None => {
                timed(redis::cmd("ZRANGE").arg(format!("{OUTBOX}:dead")).arg(0).arg(-1).query_async(&mut c)).await?
            }
        };
        let mut invocation = self.requeue.key(format!("{OUTBOX}:due"));
        invocation.key(format!("{OUTBOX}:dead")).arg(now_ms).arg(format!("{OUTBOX}:msg:"));
        for id in &ids {
            invocation.arg(id);
        }
        timed(invocation.invoke_async(&mut c)).await
    }

    pub async fn outbox_backlog(&self, now_ms: u64) -> Result<super::Backlog, StoreError> {
        let mut c = self.connection.clone();
        let due = format!("{OUTBOX}:due");
        let (due_now, pending, oldest): (usize, usize, Vec<(String, u64)>) = timed(
            redis::pipe()
                .cmd("ZCOUNT")
                .arg(&due)
                .arg("-inf")
                .arg(now_ms)
                .cmd("ZCARD")
                .arg(&due)
                .cmd("ZRANGE")
                .arg(&due)
                .arg(0)
                .arg(0)
                .arg("WITHSCORES")
                .query_async(&mut c),
        )
        .await?;
        let oldest_due_ms = oldest.first().map(|(_, at)| *at).filter(|at| *at <= now_ms);
        Ok(super::Backlog { due_now, pending, oldest_due_ms })
    }

    pub async fn outbox_state(&self, id: &str) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("HGET").arg(message_key(id)).arg("state").query_async(&mut c)).await
    }

    pub async fn case_open(&self, o: &CaseOpen) -> Result<Opened, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.case_open.key(format!("{PREFIX}{}", o.survivor_key));
        invocation
            .key(format!("{PREFIX}code:{}", o.code))
            .key(format!("{PREFIX}case:{}", o.id))
            .key(format!("{PREFIX}log:{}", o.id))
            .key(format!("{PREFIX}timers"))
            .key(format!("{PREFIX}open"))
            .key(format!("{PREFIX}by:{}", o.pseudonym))
            .key(format!("{PREFIX}all"));
        invocation.arg(&o.id).arg(o.urgency_rank).arg(&o.urgency).arg(o.due_ms);
        invocation.arg(&o.log_created).arg(&o.log_raised).arg(&o.log_updated).arg(PREFIX).arg(o.updates.len());
        for (k, v) in o.updates.iter().chain(&o.fields) {
            invocation.arg(*k).arg(v);
        }
        let (id, created): (String, i64) = timed(invocation.invoke_async(&mut c)).await?;
        Ok(match created {
            1 => Opened::Created(id),
            0 => Opened::Merged(id),
            _ => Opened::CodeTaken,
        })
    }

    pub async fn case_get(&self, id: &str) -> Result<Option<HashMap<String, Vec<u8>>>, StoreError> {
        let mut c = self.connection.clone();
        let fields: HashMap<String, Vec<u8>> =
            timed(redis::cmd("HGETALL").arg(format!("{PREFIX}case:{id}")).query_async(&mut c)).await?;
        Ok(Some(fields).filter(|f| !f.is_empty()))
    }

    pub async fn case_lookup(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("GET").arg(format!("{PREFIX}{key}")).query_async(&mut c)).await
    }

    pub async fn case_write(&self, w: &CaseWrite) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let (code, survivor_key) = w.close.clone().unwrap_or_default();
        let mut invocation = self.case_write.key(format!("{PREFIX}case:{}", w.id));
        invocation
            .key(format!("{PREFIX}log:{}", w.id))
            .key(format!("{PREFIX}timers"))
            .key(format!("{PREFIX}open"))
            .key(format!("{PREFIX}code:{code}"))
            .key(format!("{PREFIX}{survivor_key}"));
        let timer = match w.timer {
            Timer::Keep => "keep".to_owned(),
            Timer::Clear => "clear".to_owned(),
            Timer::At(ms) => ms.to_string(),
        };
        invocation.arg(&w.id).arg(w.version).arg(timer).arg(if w.close.is_some() { "1" } else { "0" });
        invocation.arg(w.log.len());
        for line in &w.log {
            invocation.arg(line);
        }
        for (k, v) in &w.fields {
            invocation.arg(*k).arg(v);
        }
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(written == 1)
    }

    pub async fn case_claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.case_claim.key(format!("{PREFIX}timers"));
        invocation.arg(now_ms).arg(lease_ms).arg(limit);
        timed(invocation.invoke_async(&mut c)).await
    }

    pub async fn cases_open(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg(format!("{PREFIX}open")).query_async(&mut c)).await
    }

    pub async fn case_log(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("LRANGE").arg(format!("{PREFIX}log:{id}")).arg(0).arg(-1).query_async(&mut c)).await
    }

    pub async fn outbox_cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.cancel_owner.key(format!("{OUTBOX}:owner:{owner}"));
        invocation.key(format!("{OUTBOX}:due")).arg(format!("{OUTBOX}:msg:")).arg(if erase { "1" } else { "0" });
        timed(invocation.invoke_async(&mut c)).await
    }

    /// Every key under the subscriber's tag: all on one slot, so one SCAN of that node finds them.
    pub async fn erase_subscriber(&self, pseudonym: &str) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let pattern = format!("salama:{{u:{pseudonym}}}:*");
        let mut cursor = 0u64;
        let mut erased = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = timed(
                redis::cmd("SCAN").arg(cursor).arg("MATCH").arg(&pattern).arg("COUNT").arg(1000).query_async(&mut c),
            )
            .await?;
            if !keys.is_empty() {
                let blocked = format!("salama:{{u:{pseudonym}}}:blocked");
                let keys: Vec<&String> = keys.iter().filter(|k| **k != blocked).collect(); // the block list stays
                if !keys.is_empty() {
                    erased += timed(redis::cmd("DEL").arg(&keys).query_async::<usize>(&mut c)).await?;
                }
            }
            if next == 0 {
                return Ok(erased);
            }
            cursor = next;
        }
    }

    pub async fn set_blocked(&self, pseudonym: &str, blocked: bool) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let key = format!("salama:{{u:{pseudonym}}}:blocked");
        let mut pipe = redis::pipe();
        if blocked {
            pipe.cmd("SET").arg(&key).arg("1").cmd("SADD").arg("salama:{abuse}:blocked").arg(pseudonym);
        } else {
            pipe.cmd("DEL").arg(&key).cmd("SREM").arg("salama:{abuse}:blocked").arg(pseudonym);
        }
        timed(pipe.query_async::<()>(&mut c)).await
    }

    pub async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg("salama:{abuse}:blocked").query_async(&mut c)).await
    }

    pub async fn rate_allow(&self, pseudonym: &str, per_minute: u32, burst: u32) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.rate.key(format!("salama:{{u:{pseudonym}}}:rate"));
        invocation.arg(60_000 / per_minute.max(1)).arg(burst);
        let allowed: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(allowed == 1)
    }

    pub async fn cases_of(&self, pseudonym: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg(format!("{PREFIX}by:{pseudonym}")).query_async(&mut c)).await
    }

    pub async fn cases_all(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("ZRANGE").arg(format!("{PREFIX}all")).arg(0).arg(-1).query_async(&mut c)).await
    }

    pub async fn case_anonymize(&self, id: &str) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let fields: HashMap<String, String> =
            timed(redis::cmd("HGETALL").arg(format!("{PREFIX}case:{id}")).query_async(&mut c))
                .await
                .unwrap_or_default();
        let who = fields.get("pseudonym").cloned().unwrap_or_default();
        let mut invocation = self.case_anonymize.key(format!("{PREFIX}case:{id}"));
        invocation.key(format!("{PREFIX}by:{who}")).arg(id);
        timed(invocation.invoke_async::<i64>(&mut c)).await?;
        timed(redis::cmd("SREM").arg(format!("{PREFIX}by:{who}")).arg(id).query_async::<i64>(&mut c)).await.map(drop)
    }

    pub async fn case_purge_at(&self, id: &str, at_ms: u64) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("ZADD").arg(format!("{PREFIX}purge")).arg(at_ms).arg(id).query_async::<i64>(&mut c))
            .await
            .map(drop)
    }

    pub async fn case_purge_due(&self, now_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = self.purge_due.key(format!("{PREFIX}purge"));
        invocation.arg(now_ms).arg(limit);
        timed(invocation.invoke_async(&mut c)).await
    }

    /// Every sealed record, sealed again under the first key (`salama keys rotate`): sessions,
    /// transcripts, outbox messages and cases. Each is written back only if unchanged meanwhile.
    pub async fn reseal_all(&self, reseal: Reseal<'_>) -> Result<Resealed, StoreError> {
        let mut c = self.connection.clone();
        let mut done = Resealed::default();
        let mut cursor = 0u64;
        loop {
            let (next, keys): (u64, Vec<String>) = timed(
                redis::cmd("SCAN").arg(cursor).arg("MATCH").arg("salama:*").arg("COUNT").arg(500).query_async(&mut c),
            )
            .await?;
            for key in keys {
                let mut records: Vec<SealedRecord> = Vec::new();
                if key.contains(":ussd:") || key.contains(":sms:") {
                    let value: Option<Vec<u8>> = timed(redis::cmd("GET").arg(&key).query_async(&mut c)).await?;
                    let clear = if key.contains(":ussd:") { 2 } else { 0 };
                    records.extend(value.map(|v| ("string", String::new(), v, key.as_bytes().to_vec(), clear)));
                } else if key.contains(":transcript:") {
                    let items: Vec<Vec<u8>> =
                        timed(redis::cmd("LRANGE").arg(&key).arg(0).arg(-1).query_async(&mut c)).await?;
                    for (i, item) in items.into_iter().enumerate() {
                        records.push(("list", i.to_string(), item, key.as_bytes().to_vec(), 0));
                    }
                } else if let Some(id) =
                    key.strip_prefix(&format!("{OUTBOX}:msg:")).or_else(|| key.strip_prefix(&format!("{PREFIX}case:")))
                {
                    for field in ["to", "body", "number", "note"] {
                        let value: Option<Vec<u8>> =
                            timed(redis::cmd("HGET").arg(&key).arg(field).query_async(&mut c)).await?;
                        if let Some(v) = value.filter(|v| !v.is_empty()) {
                            records.push(("hash", field.to_owned(), v, id.as_bytes().to_vec(), 0));
                        }
                    }
                }
                for (kind, field, value, context, clear) in records {
                    if value.len() <= clear {
                        continue;
                    }
                    match reseal(&value[clear..], &context) {
                        Ok(Some(sealed)) => {
                            let mut new = value[..clear].to_vec();
                            new.extend(sealed);
                            let mut invocation = self.replace_if_same.key(&key);
                            invocation.arg(kind).arg(&field).arg(&value).arg(new);
                            let replaced: i64 = timed(invocation.invoke_async(&mut c)).await?;
                            done.resealed += usize::from(replaced == 1);
                        }
                        Ok(None) => done.current += 1,
                        Err(()) => done.unreadable += 1,
                    }
                }
            }
            if next == 0 {
                return Ok(done);
            }
            cursor = next;
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("PING").query_async::<String>(&mut c)).await.map(drop)
    }
}

async fn timed<T>(call: impl Future<Output = redis::RedisResult<T>>) -> Result<T, StoreError> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(StoreError::Timeout(CALL_TIMEOUT)),
    }
}

/// A URL fit for an error message: any password replaced.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
