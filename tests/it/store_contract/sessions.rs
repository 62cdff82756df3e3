//! USSD sessions and SMS conversations.

use std::time::Duration;

use salama::store::{Checked, Expected, Loaded, SessionKeys, SessionSave, SmsKeys, SmsSave, Store};

const HOUR: Duration = Duration::from_secs(3600);

/// An encoded session starts with its hop count (two bytes, big-endian).
fn encoded(hops: u16, rest: &[u8]) -> Vec<u8> {
    [&hops.to_be_bytes()[..], rest].concat()
}

fn stale_state(hops: u16) -> Vec<u8> {
    encoded(hops, b"three")
}

fn hop<'a>(hops: u16, session: Option<&'a [u8]>, remember: Option<&'a str>) -> SessionSave<'a> {
    SessionSave { hops, session, ttl: HOUR, remember, remember_ttl: HOUR }
}

pub async fn the_session_rules_hold(store: &Store) {
    let sessions = store.sessions();
    let keys = SessionKeys::new("p1", "africastalking", "s1");
    assert_eq!(sessions.load(&keys).await.unwrap(), Loaded::default());

    // A hop is saved with the language to remember; the first hop of the next session reads
    // the language and nothing else.
    let one = encoded(1, b"one");
    assert!(sessions.save(&keys, &hop(1, Some(&one), Some("sw"))).await.unwrap());
    // Each load reads what it says it reads, and the block list.
    let (one_stored, sw) = (Some(one.clone()), Some("sw".to_owned()));
    let loaded = Loaded { session: one_stored.clone(), locale: None, blocked: false };
    assert_eq!(sessions.load(&keys).await.unwrap(), loaded);
    let loaded = Loaded { session: one_stored, locale: sw.clone(), blocked: false };
    assert_eq!(sessions.load_with_language(&keys).await.unwrap(), loaded);
    let loaded = Loaded { session: None, locale: sw.clone(), blocked: false };
    assert_eq!(sessions.remembered(&keys).await.unwrap(), loaded);
    let other = SessionKeys::new("p1", "africastalking", "s2");
    assert_eq!(sessions.load(&other).await.unwrap(), Loaded::default());
    assert_eq!(sessions.load_with_language(&other).await.unwrap(), Loaded { locale: sw, ..Loaded::default() });

    // A session never moves backwards: a retry or a late request leaves the session and the
    // language as they were.
    let stale = encoded(1, b"stale");
    assert!(!sessions.save(&keys, &hop(1, Some(&stale), Some("fr"))).await.unwrap());
    assert!(!sessions.save(&keys, &hop(0, Some(&stale), None)).await.unwrap());
    assert_eq!(sessions.load(&keys).await.unwrap().session.as_deref(), Some(&one[..]));
    assert_eq!(sessions.remembered(&keys).await.unwrap().locale.as_deref(), Some("sw"));
    let two = encoded(2, b"two");
    assert!(sessions.save(&keys, &hop(2, Some(&two), None)).await.unwrap());
    assert_eq!(sessions.load(&keys).await.unwrap().session.as_deref(), Some(&two[..]));

    // Two late requests at once: the newest state stays. (Here the two may or may not overlap on
    // Redis; `ussd_redis::two_late_saves_at_once_…` makes both writes land before either undo.)
    let (retry, late) = (encoded(2, b"retry"), encoded(1, b"late"));
    let (retry_hop, late_hop) = (hop(2, Some(&retry), None), hop(1, Some(&late), Some("fr")));
    let (a, b) = tokio::join!(sessions.save(&keys, &retry_hop), sessions.save(&keys, &late_hop));
    assert!(!a.unwrap() && !b.unwrap(), "neither wrote");
    assert_eq!(sessions.load(&keys).await.unwrap().session.as_deref(), Some(&two[..]));
    assert_eq!(sessions.remembered(&keys).await.unwrap().locale.as_deref(), Some("sw"));

    // The quick exit deletes the session, whatever it held.
    assert!(sessions.save(&keys, &hop(3, None, None)).await.unwrap());
    assert_eq!(sessions.load(&keys).await.unwrap().session, None);
    assert_eq!(sessions.remembered(&keys).await.unwrap().locale.as_deref(), Some("sw"), "her language stays");

    // A save that reads the block list in the same step writes only over the state the hop
    // stepped from: over nothing (an erasure, a flush) or another state, nothing changes...
    let keys = SessionKeys::new("p2", "africastalking", "s1");
    let stale =
        sessions.save_unless_blocked(&keys, &hop(1, Some(&one), Some("sw")), Expected::Session(&two)).await.unwrap();
    assert_eq!(stale, Checked::Stale);
    assert_eq!(sessions.load_with_language(&keys).await.unwrap(), Loaded::default());
    assert!(sessions.save(&keys, &hop(1, Some(&one), Some("sw"))).await.unwrap());
    let stale = sessions
        .save_unless_blocked(&keys, &hop(3, Some(&stale_state(3)), Some("fr")), Expected::Session(&two))
        .await
        .unwrap();
    assert_eq!(stale, Checked::Stale);
    let held = Loaded { session: Some(one.clone()), locale: Some("sw".into()), blocked: false };
    assert_eq!(sessions.load_with_language(&keys).await.unwrap(), held);
    // ...over it, the hop is written...
    let written =
        sessions.save_unless_blocked(&keys, &hop(2, Some(&two), None), Expected::Session(&one)).await.unwrap();
    assert_eq!(written, Checked::Written);
    assert_eq!(sessions.load(&keys).await.unwrap().session.as_deref(), Some(&two[..]));
    // The second hop steps from a state its first hop began but never saved: it expects no
    // session, and her language as the first hop read it.
    let begun = SessionKeys::new("p3", "africastalking", "s1");
    let first =
        sessions.save_unless_blocked(&begun, &hop(1, Some(&one), Some("sw")), Expected::Begun(None)).await.unwrap();
    assert_eq!(first, Checked::Written);
    let again = sessions
        .save_unless_blocked(&begun, &hop(1, Some(&stale_state(1)), None), Expected::Begun(None))
        .await
        .unwrap();
    assert_eq!(again, Checked::Stale, "a session is stored");
    assert_eq!(sessions.load(&begun).await.unwrap().session.as_deref(), Some(&one[..]));
    let next = SessionKeys::new("p3", "africastalking", "s2");
    let changed =
        sessions.save_unless_blocked(&next, &hop(1, Some(&one), None), Expected::Begun(Some("fr"))).await.unwrap();
    assert_eq!(changed, Checked::Stale, "her language is not the one the first hop read");
    assert_eq!(sessions.load(&next).await.unwrap().session, None);
    let same =
        sessions.save_unless_blocked(&next, &hop(1, Some(&one), None), Expected::Begun(Some("sw"))).await.unwrap();
    assert_eq!(same, Checked::Written);
    // ...and for a number blocked since her last hop, nothing of it stays and her session goes.
    store.subscribers().set_blocked("p2", true).await.unwrap();
    let refused = sessions
        .save_unless_blocked(&keys, &hop(3, Some(&stale_state(3)), Some("fr")), Expected::Session(&two))
        .await
        .unwrap();
    assert_eq!(refused, Checked::Blocked);
    let gone = Loaded { session: None, locale: Some("sw".into()), blocked: true };
    assert_eq!(sessions.load_with_language(&keys).await.unwrap(), gone);
    let fresh = SessionKeys::new("p2", "africastalking", "s2");
    let refused =
        sessions.save_unless_blocked(&fresh, &hop(1, Some(&one), None), Expected::Session(&two)).await.unwrap();
    assert_eq!(refused, Checked::Blocked);
    assert_eq!(sessions.load(&fresh).await.unwrap(), Loaded { blocked: true, ..Loaded::default() });
}

fn sms<'a>(session: Option<&'a [u8]>, transcript: Option<&'a [u8]>) -> SmsSave<'a> {
    SmsSave { session, ttl: HOUR, seen_ttl: HOUR, transcript, remember: None, remember_ttl: HOUR }
}

pub async fn the_sms_rules_hold(store: &Store) {
    let sessions = store.sessions();
    let first = SmsKeys::new("p2", "ke", "twilio", "m1");
    let loaded = sessions.load_sms(&first).await.unwrap();
    assert!(loaded.session.is_none() && !loaded.seen && !loaded.blocked);

    // Saving marks the message seen; the provider's retry of it writes nothing.
    assert!(sessions.save_sms(&first, &sms(Some(b"state-1"), Some(b"words-1"))).await.unwrap());
    assert!(sessions.load_sms(&first).await.unwrap().seen);
    assert!(!sessions.save_sms(&first, &sms(Some(b"retry"), Some(b"retry"))).await.unwrap());

    // The next message continues the conversation; her free texts are kept in order.
    let second = SmsKeys::new("p2", "ke", "twilio", "m2");
    let loaded = sessions.load_sms(&second).await.unwrap();
    assert_eq!((loaded.session.as_deref(), loaded.seen), (Some(&b"state-1"[..]), false));
    assert!(sessions.save_sms(&second, &sms(Some(b"state-2"), Some(b"words-2"))).await.unwrap());
    assert_eq!(sessions.transcript(&second).await.unwrap(), vec![b"words-1".to_vec(), b"words-2".to_vec()]);

    // Another helpline's conversation is its own.
    let elsewhere = SmsKeys::new("p2", "bj", "twilio", "m3");
    assert_eq!(sessions.load_sms(&elsewhere).await.unwrap().session, None);

    // The quick exit deletes the conversation and its transcript.
    let exit = SmsKeys::new("p2", "ke", "twilio", "m4");
    assert!(sessions.save_sms(&exit, &sms(None, None)).await.unwrap());
    assert_eq!(sessions.load_sms(&exit).await.unwrap().session, None);
    assert!(sessions.transcript(&exit).await.unwrap().is_empty());
}
