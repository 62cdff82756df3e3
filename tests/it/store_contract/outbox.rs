//! The outbox's rules.

use std::time::Duration;

use crate::support::TestRedis;
use salama::store::{Enqueue, Store};

fn message(id: &str, due_ms: u64) -> Enqueue {
    Enqueue {
        id: id.into(),
        helpline: "ke".into(),
        provider: "africastalking".into(),
        fallback: Some("twilio".into()),
        to: b"sealed-number".to_vec(),
        body: b"sealed-text".to_vec(),
        due_ms,
        owner: Some("her".into()),
        sender: None,
    }
}

const KEEP: Duration = Duration::from_secs(3600);

pub async fn the_outbox_rules_hold(store: &Store) {
    // Enqueue is idempotent by id.
    assert!(store.outbox().enqueue(&message("m1", 1_000)).await.unwrap());
    assert!(!store.outbox().enqueue(&message("m1", 1_000)).await.unwrap());
    assert!(store.outbox().enqueue(&message("m2", 5_000)).await.unwrap());

    // Only what is due is claimed, once, with its fields.
    assert!(store.outbox().claim(999, 60_000, 10).await.unwrap().is_empty());
    let claimed = store.outbox().claim(1_000, 60_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let c = &claimed[0];
    assert_eq!(
        (c.id.as_str(), c.helpline.as_str(), c.provider.as_str(), c.fallback.as_deref(), c.attempts),
        ("m1", "ke", "africastalking", Some("twilio"), 1)
    );
    assert_eq!((c.to.as_slice(), c.body.as_slice()), (&b"sealed-number"[..], &b"sealed-text"[..]));
    assert_eq!(store.outbox().state("m1").await.unwrap().as_deref(), Some("sending"));
    assert!(store.outbox().claim(2_000, 60_000, 10).await.unwrap().is_empty(), "held by its lease");

    // A retry makes it due again, with the attempt counted.
    store.outbox().retry("m1", 3_000, "HTTP 500").await.unwrap();
    assert_eq!(store.outbox().state("m1").await.unwrap().as_deref(), Some("queued"));
    let again = store.outbox().claim(5_000, 60_000, 10).await.unwrap();
    let ids: Vec<(&str, u32)> = again.iter().map(|c| (c.id.as_str(), c.attempts)).collect();
    assert_eq!(ids, vec![("m1", 2), ("m2", 1)]);

    // Sent: the delivery report finds it by the provider's id.
    store.outbox().sent("m1", "africastalking", "ATXid_9", KEEP).await.unwrap();
    assert_eq!(store.outbox().state("m1").await.unwrap().as_deref(), Some("sent"));
    assert_eq!(store.outbox().delivery("africastalking", "ATXid_9", "delivered").await.unwrap().as_deref(), Some("m1"));
    assert_eq!(store.outbox().state("m1").await.unwrap().as_deref(), Some("delivered"));
    assert_eq!(store.outbox().delivery("twilio", "ATXid_9", "delivered").await.unwrap(), None, "ids are per provider");

    // m2's worker is lost: after the lease it is dead, not resent.
    assert!(store.outbox().claim(66_000, 60_000, 10).await.unwrap().is_empty());
    assert_eq!(store.outbox().state("m2").await.unwrap().as_deref(), Some("dead"));
    let dead = store.outbox().dead_letters(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].id.as_str(), dead[0].attempts, dead[0].at_ms), ("m2", 1, 66_000));
    assert!(dead[0].error.starts_with("outcome unknown"));

    // A person re-queues it: fresh attempts, due now.
    assert_eq!(store.outbox().requeue(Some("m2"), 70_000).await.unwrap(), 1);
    assert_eq!(store.outbox().requeue(Some("m2"), 70_000).await.unwrap(), 0, "no longer a dead letter");
    let retried = store.outbox().claim(70_000, 60_000, 10).await.unwrap();
    assert_eq!((retried[0].id.as_str(), retried[0].attempts), ("m2", 1));
    store.outbox().dead("m2", 71_000, "Africa's Talking: InvalidPhoneNumber (403) (permanent)", KEEP).await.unwrap();
    assert_eq!(
        store.outbox().dead_letters(10).await.unwrap()[0].error,
        "Africa's Talking: InvalidPhoneNumber (403) (permanent)"
    );
    assert_eq!(store.outbox().delivery("africastalking", "unknown", "failed").await.unwrap(), None);

    // Her quick exit cancels what is still queued for her; nothing else.
    assert!(store.outbox().enqueue(&message("m3", 80_000)).await.unwrap());
    assert!(store.outbox().enqueue(&Enqueue { owner: None, ..message("m4", 80_000) }).await.unwrap());
    assert_eq!(store.outbox().cancel("her", false).await.unwrap(), 1);
    assert_eq!(store.outbox().state("m3").await.unwrap().as_deref(), Some("cancelled"));
    let due: Vec<String> = store.outbox().claim(90_000, 60_000, 10).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(due, vec!["m4"], "a counsellor's page is not hers to cancel");
}

#[tokio::test]
async fn on_redis_the_sent_message_keeps_no_sealed_number_or_text() {
    let redis = TestRedis::start();
    the_outbox_rules_hold(&Store::open(Some(&redis.url()), None).unwrap()).await;
    // What was sent no longer holds the sealed number or text.
    let fields: Vec<String> =
        redis::from_redis_value(redis.query(&["HKEYS", "salama:{outbox}:msg:m1"]).unwrap()).unwrap();
    assert!(!fields.contains(&"to".to_owned()) && !fields.contains(&"body".to_owned()), "{fields:?}");
}
