//! USSD sessions and SMS conversations on Redis: one MGET to load, one script to save.

use std::sync::LazyLock;

use redis::Script;

use super::{RedisStore, timed};
use crate::store::StoreError;
use crate::store::sessions::{Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave};

static SAVE_SESSION: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/save_session.lua")));
static SAVE_SMS: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/save_sms.lua")));

impl RedisStore {
    pub(in crate::store) async fn load_first_hop(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        let mut c = self.connection.clone();
        let (locale, blocked): (Option<String>, Option<String>) =
            timed(redis::cmd("MGET").arg(&keys.locale).arg(&keys.blocked).query_async(&mut c)).await?;
        Ok(Loaded { session: None, locale, blocked: blocked.is_some() })
    }

    pub(in crate::store) async fn load(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        let mut c = self.connection.clone();
        let (session, locale, blocked): (Option<Vec<u8>>, Option<String>, Option<String>) =
            timed(redis::cmd("MGET").arg(&keys.session).arg(&keys.locale).arg(&keys.blocked).query_async(&mut c))
                .await?;
        Ok(Loaded { session, locale, blocked: blocked.is_some() })
    }

    pub(in crate::store) async fn save(&self, keys: &SessionKeys, save: &SessionSave<'_>) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = SAVE_SESSION.key(&keys.session);
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

    pub(in crate::store) async fn load_sms(&self, keys: &SmsKeys) -> Result<LoadedSms, StoreError> {
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

    pub(in crate::store) async fn save_sms(&self, keys: &SmsKeys, save: &SmsSave<'_>) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = SAVE_SMS.key(&keys.session);
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

    pub(in crate::store) async fn transcript(&self, keys: &SmsKeys) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("LRANGE").arg(&keys.transcript).arg(0).arg(-1).query_async(&mut c)).await
    }
}
