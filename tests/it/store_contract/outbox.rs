//! The outbox's rules (written in `store::outbox`).

use std::time::Duration;

use crate::support::TestRedis;
use salama::store::{Claim, Claimed, Enqueue, Priority, Queued, Started, Store};

fn message(id: &str, due_ms: u64) -> Enqueue {
    Enqueue {
        id: id.into(),
        priority: Priority::Reply,
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
const LEASE: u64 = 60_000;

async fn claim(store: &Store, now_ms: u64) -> Option<Claimed> {
    match store.outbox().claim(now_ms, LEASE).await.unwrap() {
        Claim::Message(m) => Some(*m),
        Claim::Idle { .. } => None,
    }
}

async fn state(store: &Store, id: &str) -> String {
    store.outbox().state(id).await.unwrap().unwrap_or_default()
}

pub async fn the_outbox_rules_hold(store: &Store) {
    let outbox = store.outbox();
    // Enqueue is idempotent by id.
    assert_eq!(outbox.enqueue(&message("m1", 1_000), KEEP).await.unwrap(), Queued::New);
    assert_eq!(outbox.enqueue(&message("m1", 1_000), KEEP).await.unwrap(), Queued::Already);
    assert_eq!(outbox.enqueue(&message("m2", 5_000), KEEP).await.unwrap(), Queued::New);

    // Only what is due is claimed, one message at a time, with its fields; idle says when next.
    assert_eq!(outbox.claim(999, LEASE).await.unwrap(), Claim::Idle { next_due_ms: Some(1_000) });
    let c = claim(store, 1_000).await.expect("m1 is due");
    assert_eq!(
        (c.id.as_str(), c.helpline.as_str(), c.provider.as_str(), c.fallback.as_deref(), c.attempt, c.tries, c.again),
        ("m1", "ke", "africastalking", Some("twilio"), 1, 1, false)
    );
    assert_eq!((c.to.as_slice(), c.body.as_slice()), (&b"sealed-number"[..], &b"sealed-text"[..]));
    assert_eq!(state(store, "m1").await, "sending");
    assert!(claim(store, 2_000).await.is_none(), "held by its own lease; m2 not yet due");

    // A retry makes it due again; an answer carrying another attempt is refused.
    assert!(!outbox.retry("m1", 7, 3_000, "HTTP 500").await.unwrap(), "not the current attempt");
    assert!(outbox.retry("m1", 1, 3_000, "HTTP 500").await.unwrap());
    assert!(!outbox.retry("m1", 1, 3_000, "HTTP 500").await.unwrap(), "that attempt is finished");
    assert_eq!(state(store, "m1").await, "queued");
    let again = claim(store, 5_000).await.unwrap();
    assert_eq!((again.id.as_str(), again.attempt, again.tries), ("m1", 2, 2));

    // Sent, with the attempt it finishes: the delivery report finds it by the provider's id.
    assert_eq!(outbox.start("m1", 2, 5_000, LEASE).await.unwrap(), Started::Recorded);
    assert!(!outbox.sent("m1", 1, "africastalking", "ATXid_9", KEEP).await.unwrap(), "an old attempt");
    assert!(outbox.sent("m1", 2, "africastalking", "ATXid_9", KEEP).await.unwrap());
    assert_eq!(state(store, "m1").await, "sent");
    assert!(!outbox.dead("m1", 2, 6_000, "late", KEEP).await.unwrap(), "a sent message stays sent");
    assert_eq!(outbox.delivery("africastalking", "ATXid_9", "delivered").await.unwrap().as_deref(), Some("m1"));
    assert_eq!(state(store, "m1").await, "delivered");
    assert_eq!(outbox.delivery("twilio", "ATXid_9", "delivered").await.unwrap(), None, "ids are per provider");

    // m2's worker is lost before its send started: after the lease it is simply claimed again.
    let first = claim(store, 5_000).await.unwrap();
    assert_eq!((first.id.as_str(), first.attempt), ("m2", 1));
    let second = claim(store, 5_000 + LEASE).await.expect("the lease ran out");
    assert_eq!((second.id.as_str(), second.attempt, second.again), ("m2", 2, false), "nothing can have left");
    assert!(!outbox.sent("m2", 1, "africastalking", "x", KEEP).await.unwrap(), "the lost worker's answer is refused");
    // Lost again, this time after its send started: claimed again, marked as a possible duplicate.
    assert_eq!(outbox.start("m2", 2, 5_000 + LEASE, LEASE).await.unwrap(), Started::Recorded);
    assert!(claim(store, 5_000 + 2 * LEASE - 1).await.is_none(), "start renewed the lease");
    let third = claim(store, 5_000 + 2 * LEASE).await.unwrap();
    assert_eq!((third.attempt, third.again), (3, true));
    assert!(!outbox.requeue("m2", 2, 0).await.unwrap());

    // Dead, then revived by a person: fresh tries, due now. Only dead letters revive.
    assert_eq!(outbox.revive(Some("m2"), 70_000).await.unwrap(), 0, "m2 is being sent, not dead");
    assert!(
        outbox.dead("m2", 3, 200_000, "Africa's Talking: InvalidPhoneNumber (403) (permanent)", KEEP).await.unwrap()
    );
    let dead = outbox.dead_letters(10).await.unwrap();
    assert_eq!((dead.len(), dead[0].id.as_str(), dead[0].tries, dead[0].at_ms), (1, "m2", 3, 200_000));
    assert_eq!(dead[0].error, "Africa's Talking: InvalidPhoneNumber (403) (permanent)");
    assert_eq!(outbox.revive(Some("m2"), 210_000).await.unwrap(), 1);
    assert_eq!(outbox.revive(None, 210_000).await.unwrap(), 0, "no longer a dead letter");
    let revived = claim(store, 210_000).await.unwrap();
    assert_eq!((revived.id.as_str(), revived.tries, revived.attempt), ("m2", 1, 4));

    // A claim given back before its send started: queued again, the try not counted.
    assert!(outbox.requeue("m2", 4, 210_000).await.unwrap());
    assert_eq!(state(store, "m2").await, "queued");
    let back = claim(store, 210_000).await.unwrap();
    assert_eq!((back.tries, back.attempt), (1, 5));
    assert_eq!(outbox.start("m2", 5, 210_000, LEASE).await.unwrap(), Started::Recorded);
    assert!(!outbox.requeue("m2", 5, 210_000).await.unwrap(), "a send in flight is not given back");
    assert!(outbox.sent("m2", 5, "africastalking", "ATXid_10", KEEP).await.unwrap());
    assert_eq!(outbox.delivery("africastalking", "unknown", "failed").await.unwrap(), None);

    // Pages are claimed ahead of replies due earlier.
    assert_eq!(outbox.enqueue(&message("reply", 300_000), KEEP).await.unwrap(), Queued::New);
    let page = Enqueue { priority: Priority::Page, owner: None, ..message("page", 300_001) };
    assert_eq!(outbox.enqueue(&page, KEEP).await.unwrap(), Queued::New);
    let order = [claim(store, 300_001).await.unwrap(), claim(store, 300_001).await.unwrap()];
    assert_eq!([order[0].id.as_str(), order[1].id.as_str()], ["page", "reply"]);
    assert_eq!(order[0].priority, Priority::Page);
    assert_eq!(outbox.start("page", order[0].attempt, 300_001, LEASE).await.unwrap(), Started::Recorded);
    assert!(outbox.sent("page", order[0].attempt, "africastalking", "ATXid_11", KEEP).await.unwrap());

    // Her quick exit cancels what is queued or held for her (a held one's answer is then
    // refused); not a counsellor's page.
    assert_eq!(outbox.enqueue(&message("m3", 400_000), KEEP).await.unwrap(), Queued::New);
    assert_eq!(outbox.enqueue(&Enqueue { owner: None, ..message("m4", 400_000) }, KEEP).await.unwrap(), Queued::New);
    assert_eq!(outbox.cancel("her", false).await.unwrap(), 2, "m3 queued and the held reply");
    assert_eq!(state(store, "m3").await, "cancelled");
    assert_eq!(
        outbox.start("reply", order[1].attempt, 400_000, LEASE).await.unwrap(),
        Started::Refused,
        "cancelled before it left"
    );
    assert_eq!(claim(store, 400_000).await.map(|c| c.id).as_deref(), Some("m4"), "a page is not hers to cancel");
}

#[tokio::test]
async fn on_redis_the_sent_message_keeps_no_sealed_number_or_text_and_her_list_expires() {
    let redis = TestRedis::start();
    the_outbox_rules_hold(&Store::open(Some(&redis.url()), None).unwrap()).await;
    let fields: Vec<String> =
        redis::from_redis_value(redis.query(&["HKEYS", "salama:{outbox}:msg:m1"]).unwrap()).unwrap();
    assert!(!fields.contains(&"to".to_owned()) && !fields.contains(&"body".to_owned()), "{fields:?}");
    let ttl: i64 = redis::from_redis_value(redis.query(&["TTL", "salama:{outbox}:owner:her"]).unwrap()).unwrap();
    assert!(ttl > 0 && ttl <= 3600, "her list of messages expires: {ttl}");
    let wake: i64 = redis::from_redis_value(redis.query(&["LLEN", "salama:{outbox}:wake"]).unwrap()).unwrap();
    assert!(wake <= 64);
}

#[tokio::test]
async fn on_redis_the_dead_letters_are_trimmed_by_age() {
    let redis = TestRedis::start();
    let store = Store::open(Some(&redis.url()), None).unwrap();
    let day = Duration::from_secs(24 * 3600);
    for (i, at) in [1_000u64, 1_000 + 2 * 86_400_000].into_iter().enumerate() {
        let id = format!("d{i}");
        store.outbox().enqueue(&message(&id, at), KEEP).await.unwrap();
        let c = claim(&store, at).await.unwrap();
        assert!(store.outbox().dead(&id, c.attempt, at, "permanent", day).await.unwrap());
    }
    let ids: Vec<String> = store.outbox().dead_letters(10).await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, vec!["d1"], "a dead letter older than the retention is trimmed from the set");
}

#[tokio::test]
async fn the_embedded_outbox_stays_bounded() {
    use salama::store::memory::FINISHED_KEPT;
    let store = Store::open(None, None).unwrap();
    let n = FINISHED_KEPT + 500;
    for i in 0..n {
        let id = format!("b{i}");
        store.outbox().enqueue(&Enqueue { owner: None, ..message(&id, 0) }, KEEP).await.unwrap();
        let c = claim(&store, 0).await.unwrap();
        store.outbox().start(&c.id, c.attempt, 0, LEASE).await.unwrap();
        store.outbox().sent(&c.id, c.attempt, "africastalking", &id, KEEP).await.unwrap();
    }
    let Store::Memory(m) = &store else { unreachable!() };
    assert_eq!(m.outbox_len(), FINISHED_KEPT, "the oldest sent messages are dropped");
    assert_eq!(store.outbox().state("b0").await.unwrap(), None);
    assert_eq!(store.outbox().delivery("africastalking", "b0", "delivered").await.unwrap(), None);
    assert!(store.outbox().state(&format!("b{}", n - 1)).await.unwrap().is_some());
}
