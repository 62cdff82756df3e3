//! USSD sessions and SMS conversations on Redis: one MGET to load, one write to save.
//!
//! A USSD hop's calls are not wrapped in [`timed`]: the connection's own limits (an answer within
//! 0.8 s, a reconnection within 0.5 s and one retry; on a cluster 1.8 s in all) already end each
//! within about 2 s, and a second timer on each call cost a hop 1% of its CPU (issue 13).

use std::sync::LazyLock;

use redis::Script;

use super::connection::Connection;
use super::{RedisStore, timed};
use crate::store::StoreError;
use crate::store::sessions::{
    Checked, Expected, Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave, stored_hops,
};

static UNDO_SESSION: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/undo_session.lua")));
static SAVE_SMS: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/save_sms.lua")));

impl RedisStore {
    /// One MGET of the keys asked for and the block list.
    pub(in crate::store) async fn load(
        &self,
        keys: &SessionKeys,
        session: bool,
        locale: bool,
    ) -> Result<Loaded, StoreError> {
        let mut c = self.connection.here();
        let mut mget = redis::cmd("MGET");
        if session {
            mget.arg(&keys.session);
        }
        if locale {
            mget.arg(&keys.locale);
        }
        let mut values: Vec<Option<Vec<u8>>> = mget.arg(&keys.blocked).query_async(&mut c).await?;
        let blocked = values.pop().flatten().is_some();
        let locale = if locale { values.pop().flatten() } else { None };
        let session = if session { values.pop().flatten() } else { None };
        Ok(Loaded { session, locale: locale.and_then(|l| String::from_utf8(l).ok()), blocked })
    }

    /// One round trip: `SET … GET` writes the hop and returns the state it replaced, and the
    /// language to remember rides in the same pipeline, also returning what it replaced. The
    /// script that decided before writing cost Redis 7.0 10 µs a call here, and one whose only
    /// command was this `SET … GET` still 9.5, against 2.2 for the `SET` alone; 7.0 has no
    /// conditional `SET` (8.4's `IFEQ` would do). So a save that moved a session backwards,
    /// which only a retry or a late request racing a newer hop makes, is undone at once
    /// (`undo_session.lua`) and reported as not written. In the round trip between, a request that reads the older state steps or
    /// replays from it: the screen is right, and a case it opens merges into her open one, as
    /// after a crash between a case's opening and the hop's save.
    pub(in crate::store) async fn save(&self, keys: &SessionKeys, save: &SessionSave<'_>) -> Result<bool, StoreError> {
        let mut c = self.connection.here();
        let Some(session) = save.session else {
            redis::cmd("DEL").arg(&keys.session).arg(&keys.earlier).query_async::<i64>(&mut c).await?;
            return Ok(true);
        };
        let set = set_session(keys, session, save);
        // A pipeline only when there is a language to remember: it costs a hop more CPU.
        let (replaced, replaced_locale): (Option<Vec<u8>>, Option<Vec<u8>>) = match save.remember {
            None => (set.query_async(&mut c).await?, None),
            Some(locale) => {
                let mut pipe = redis::pipe();
                pipe.add_command(set).add_command(set_locale(keys, locale, save));
                pipe.query_async(&mut c).await?
            }
        };
        let Some(newer) = replaced.filter(|old| stored_hops(old).is_some_and(|hops| hops >= save.hops)) else {
            return Ok(true);
        };
        undo(&mut c, keys, save, session, Some(newer), replaced_locale).await;
        Ok(false)
    }

    /// [`save`](Self::save) with `EXISTS` of the block list first in its pipeline (and, after a
    /// first hop, a `GET` of her language). A save that replaced anything but what was
    /// expected, or of a blocked number, is undone (`undo_session.lua`): a blocked number's
    /// session is deleted, another's put back as it was, and the language it remembered too.
    pub(in crate::store) async fn save_unless_blocked(
        &self,
        keys: &SessionKeys,
        save: &SessionSave<'_>,
        expected: Expected<'_>,
    ) -> Result<Checked, StoreError> {
        let mut c = self.connection.here();
        let session = save.session.unwrap_or_default();
        let mut pipe = redis::pipe();
        pipe.cmd("EXISTS").arg(&keys.blocked);
        if let Expected::Begun(_) = expected {
            pipe.cmd("GET").arg(&keys.locale);
        }
        pipe.add_command(set_session(keys, session, save));
        if let Some(locale) = save.remember {
            pipe.add_command(set_locale(keys, locale, save));
        }
        let values: Vec<redis::Value> = pipe.query_async(&mut c).await?;
        let mut values = values.into_iter();
        let blocked = matches!(values.next(), Some(redis::Value::Int(1)));
        let language = if let Expected::Begun(_) = expected { bulk(values.next()) } else { None };
        let replaced = bulk(values.next());
        let replaced_locale = save.remember.and_then(|_| bulk(values.next()));
        let holds = match expected {
            Expected::Session(kept) => replaced.as_deref() == Some(kept),
            Expected::Begun(then) => replaced.is_none() && language.as_deref() == then.map(str::as_bytes),
        };
        if !blocked && holds {
            return Ok(Checked::Written);
        }
        // A blocked number's session goes whatever it held; another's goes back to what it was.
        let put_back = if blocked { None } else { replaced };
        undo(&mut c, keys, save, session, put_back, replaced_locale).await;
        Ok(if blocked { Checked::Blocked } else { Checked::Stale })
    }

    pub(in crate::store) async fn load_sms(&self, keys: &SmsKeys) -> Result<LoadedSms, StoreError> {
        let mut c = self.connection.here();
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
        let mut c = self.connection.here();
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
        let mut c = self.connection.here();
        timed(redis::cmd("LRANGE").arg(&keys.transcript).arg(0).arg(-1).query_async(&mut c)).await
    }
}

/// A bulk string of a pipeline's answer; nothing for `nil` (or anything else).
fn bulk(value: Option<redis::Value>) -> Option<Vec<u8>> {
    match value {
        Some(redis::Value::BulkString(bytes)) => Some(bytes),
        _ => None,
    }
}

/// `SET … GET` of a hop's session: it returns the state it replaced.
fn set_session(keys: &SessionKeys, session: &[u8], save: &SessionSave<'_>) -> redis::Cmd {
    let mut set = redis::cmd("SET");
    set.arg(&keys.session).arg(session).arg("EX").arg(save.ttl.as_secs().max(1)).arg("GET");
    set
}

/// `SET … GET` of the language a hop remembers.
fn set_locale(keys: &SessionKeys, locale: &str, save: &SessionSave<'_>) -> redis::Cmd {
    let mut set = redis::cmd("SET");
    set.arg(&keys.locale).arg(locale).arg("EX").arg(save.remember_ttl.as_secs().max(1)).arg("GET");
    set
}

/// Puts back what a save replaced (`undo_session.lua`): the session (or, for `None`, deletes
/// what the save wrote) and the language it remembered.
async fn undo(
    c: &mut Connection,
    keys: &SessionKeys,
    save: &SessionSave<'_>,
    session: &[u8],
    replaced: Option<Vec<u8>>,
    replaced_locale: Option<Vec<u8>>,
) {
    let mut undo = UNDO_SESSION.key(&keys.session);
    undo.key(&keys.locale)
        .arg(session)
        .arg(replaced.unwrap_or_default())
        .arg(save.remember.unwrap_or_default())
        .arg(replaced_locale.unwrap_or_default());
    // Boxed: a script's future is large, and every save's would carry it (issue 13).
    if let Err(e) = Box::pin(timed(undo.invoke_async::<i64>(c))).await {
        // Her screen is right either way; the next hop replays her path from the older state.
        tracing::warn!(error = %e, "could not undo a USSD session's save");
    }
}
