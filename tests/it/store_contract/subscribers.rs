//! A subscriber's keys as a whole: the block list, erasure, the rate limit.

use std::time::Duration;

use salama::store::{Loaded, SessionKeys, SessionSave, SmsKeys, SmsSave, Store};

const HOUR: Duration = Duration::from_secs(3600);

pub async fn the_subscriber_rules_hold(store: &Store) {
    let keys = SessionKeys::new("her", "africastalking", "s1");
    let sms_keys = SmsKeys::new("her", "ke", "twilio", "m1");
    let session = [0u8, 1, 42];
    let save = SessionSave { hops: 1, session: Some(&session), ttl: HOUR, remember: Some("fr"), remember_ttl: HOUR };
    assert!(store.sessions().save(&keys, &save).await.unwrap());
    let sms = SmsSave {
        session: Some(b"state"),
        ttl: HOUR,
        seen_ttl: HOUR,
        transcript: Some(b"words"),
        remember: None,
        remember_ttl: HOUR,
    };
    assert!(store.sessions().save_sms(&sms_keys, &sms).await.unwrap());

    // The block list: seen by every load, listed for the operator, lifted again.
    store.subscribers().set_blocked("her", true).await.unwrap();
    assert!(store.sessions().load(&keys).await.unwrap().blocked);
    assert!(store.sessions().remembered(&keys).await.unwrap().blocked);
    assert!(store.sessions().load_with_language(&keys).await.unwrap().blocked);
    assert!(store.sessions().load_sms(&sms_keys).await.unwrap().blocked);
    assert_eq!(store.subscribers().blocked().await.unwrap(), vec!["her".to_owned()]);

    // Erasure takes everything of hers but her place on the block list.
    assert!(store.subscribers().erase("her").await.unwrap() >= 4);
    let blocked = Loaded { session: None, locale: None, blocked: true };
    assert_eq!(store.sessions().load_with_language(&keys).await.unwrap(), blocked);
    let loaded = store.sessions().load_sms(&sms_keys).await.unwrap();
    assert_eq!((loaded.session, loaded.seen), (None, false));
    assert!(store.sessions().transcript(&sms_keys).await.unwrap().is_empty());
    store.subscribers().set_blocked("her", false).await.unwrap();
    assert!(!store.sessions().load(&keys).await.unwrap().blocked);
    assert!(!store.sessions().remembered(&keys).await.unwrap().blocked);
    assert!(!store.sessions().load_with_language(&keys).await.unwrap().blocked);
    assert!(store.subscribers().blocked().await.unwrap().is_empty());

    // The rate limit: the burst and one more, then no, for this sender only.
    for i in 0..3 {
        assert!(store.subscribers().rate_allow("loud", 1, 2).await.unwrap(), "message {i}");
    }
    assert!(!store.subscribers().rate_allow("loud", 1, 2).await.unwrap());
    assert!(store.subscribers().rate_allow("quiet", 1, 2).await.unwrap());
}
