//! The Redis backend: one MGET to load a hop, one script to save it.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script, TlsCertificates};

use super::{Loaded, SessionKeys, SessionSave, StoreError};

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

pub struct RedisStore {
    connection: ConnectionManager,
    save_session: Script,
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
        Ok(RedisStore { connection, save_session: Script::new(SAVE_SESSION) })
    }

    pub async fn remembered_locale(&self, keys: &SessionKeys) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("GET").arg(&keys.locale).query_async(&mut c)).await
    }

    pub async fn load(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        let mut c = self.connection.clone();
        let (session, locale): (Option<Vec<u8>>, Option<String>) =
            timed(redis::cmd("MGET").arg(&keys.session).arg(&keys.locale).query_async(&mut c)).await?;
        Ok(Loaded { session, locale })
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
