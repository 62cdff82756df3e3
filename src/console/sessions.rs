//! Sign-ins held in memory: a random token in a cookie (HttpOnly, SameSite=Strict, Secure off
//! loopback) names a session with its user, language and CSRF token. A restart signs everyone
//! out, which is acceptable for a console; several gateways behind a balancer need sticky
//! sessions until this moves to the store.
//!
//! Failed sign-ins are counted per user name and per address; past the limit, that name or
//! address waits out the lockout whatever the password.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::i18n::Lang;

pub const COOKIE: &str = "salama_console";
/// The login form's own CSRF token, before there is a session.
pub const LOGIN_COOKIE: &str = "salama_login";

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub lang: Lang,
    /// Every form carries it; a POST without it changes nothing.
    pub csrf: String,
    expires: Instant,
}

pub struct Sessions {
    live: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    ttl: Duration,
    max_failed: u32,
    lockout: Duration,
}

/// 32 random bytes, hex.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Sessions {
    pub fn new(ttl: Duration, max_failed: u32, lockout: Duration) -> Self {
        Sessions { live: Mutex::default(), failures: Mutex::default(), ttl, max_failed, lockout }
    }

    /// A new session; returns its token.
    pub fn start(&self, user: &str, lang: Lang) -> String {
        let id = token();
        let session = Session { user: user.to_owned(), lang, csrf: token(), expires: Instant::now() + self.ttl };
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        live.retain(|_, s| s.expires > now);
        live.insert(id.clone(), session);
        id
    }

    /// The session of a token, its expiry pushed back (it lasts `ttl` after the last use).
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let session = live.get_mut(id)?;
        if session.expires <= Instant::now() {
            live.remove(id);
            return None;
        }
        session.expires = Instant::now() + self.ttl;
        Some(session.clone())
    }

    pub fn end(&self, id: &str) {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }

    pub fn set_lang(&self, id: &str, lang: Lang) {
        if let Some(s) = self.live.lock().unwrap_or_else(|e| e.into_inner()).get_mut(id) {
            s.lang = lang;
        }
    }

    /// Whether any of these keys (`user:<name>`, `addr:<ip>`) is locked out now.
    pub fn locked(&self, keys: &[String]) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .any(|k| failures.get(k).is_some_and(|(n, since)| *n >= self.max_failed && since.elapsed() < self.lockout))
    }

    pub fn failed(&self, keys: &[String]) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.retain(|_, (_, since)| since.elapsed() < self.lockout);
        for k in keys {
            let entry = failures.entry(k.clone()).or_insert((0, Instant::now()));
            entry.0 += 1;
        }
    }

    /// A good sign-in clears the name's count (not the address's: one office, many names).
    pub fn succeeded(&self, user_key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(user_key);
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, under /console, Secure unless on loopback.
pub fn cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/console; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Compares a form's token with the expected one in constant time.
pub fn same_token(given: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_locked_after_the_allowed_failures_and_sessions_expire() {
        let sessions = Sessions::new(Duration::from_millis(30), 3, Duration::from_secs(60));
        let keys = vec!["user:amina".to_owned()];
        for _ in 0..2 {
            sessions.failed(&keys);
        }
        assert!(!sessions.locked(&keys));
        sessions.failed(&keys);
        assert!(sessions.locked(&keys));
        assert!(!sessions.locked(&["user:brian".to_owned()]));
        let id = sessions.start("amina", Lang::En);
        assert_eq!(sessions.get(&id).map(|s| s.user), Some("amina".into()));
        std::thread::sleep(Duration::from_millis(40));
        assert!(sessions.get(&id).is_none(), "expired");
    }
}
