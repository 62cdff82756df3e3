//! Erasure leaves no key derived from her number: every key (and every value) of the private
//! Redis is scanned for her pseudonym, and every map of the embedded store. The counsellor's
//! CLOSE outcome is sealed, never in clear in the trail.

use crate::support::*;
use salama::clock::now_ms;
use salama::engine::Gateway;
use salama::store::Store;

/// Her story: a USSD case, an SMS conversation with her words, replies queued.
async fn her_story(gw: &std::sync::Arc<Gateway>, n: &str) {
    let app = app(gw.clone()).await;
    for t in ["", "1", "1*1"] {
        dial(&app, "erasure", n, KE_CODE, t).await;
    }
    for (i, t) in ["HELP", "7", "2", "1", "he reads my messages"].iter().enumerate() {
        let message =
            salama::channels::africastalking::parse_sms(sms_form(n, t, &format!("er-{i}")).as_bytes()).unwrap();
        gw.sms(&message, false).await.unwrap();
    }
    gw.outbox.send_due(now_ms()).await.unwrap();
}

/// Every byte Redis holds under `key`, whatever its type.
fn contents(redis: &TestRedis, key: &str) -> Vec<Vec<u8>> {
    let kind: String = redis::from_redis_value(redis.query(&["TYPE", key]).unwrap()).unwrap();
    let read = |args: &[&str]| -> Vec<Vec<u8>> { redis::from_redis_value(redis.query(args).unwrap()).unwrap() };
    match kind.as_str() {
        "string" => read(&["MGET", key]),
        "hash" => read(&["HGETALL", key]),
        "list" => read(&["LRANGE", key, "0", "-1"]),
        "set" => read(&["SMEMBERS", key]),
        "zset" => read(&["ZRANGE", key, "0", "-1"]),
        other => panic!("{key}: a {other} the scan does not read"),
    }
}

#[actix_web::test]
async fn after_erasure_no_key_or_value_in_redis_names_her() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&escalation_settings(&redis, &mock));
    let n = fresh_number();
    her_story(&gw, &n).await;
    let number = salama::phone::E164::parse(&n, None).unwrap();
    let pseudonym = gw.records.pseudonym(&number);
    let naming = |redis: &TestRedis| -> Vec<String> {
        redis
            .keys()
            .into_iter()
            .filter(|key| {
                key.contains(&pseudonym)
                    || contents(redis, key).iter().any(|v| String::from_utf8_lossy(v).contains(&pseudonym))
            })
            .collect()
    };
    assert!(naming(&redis).len() >= 3, "the scan finds her before erasure: {:?}", naming(&redis));
    gw.records.erase(&number).await.unwrap();
    assert_eq!(naming(&redis), Vec::<String>::new(), "keys still naming her after erasure");
    let digits = &n[1..];
    for key in redis.keys() {
        assert!(contents(&redis, &key).iter().all(|v| !String::from_utf8_lossy(v).contains(digits)), "{key}");
    }
}

#[actix_web::test]
async fn after_erasure_no_map_of_the_embedded_store_names_her() {
    let gw = gateway(&demo_settings(None));
    let n = fresh_number();
    her_story(&gw, &n).await;
    let number = salama::phone::E164::parse(&n, None).unwrap();
    let pseudonym = gw.records.pseudonym(&number);
    let Store::Memory(memory) = &*gw.store else { unreachable!("the demo runs on the embedded store") };
    assert!(memory.entries_naming(&pseudonym) > 0, "the scan finds her before erasure");
    gw.records.erase(&number).await.unwrap();
    assert_eq!(memory.entries_naming(&pseudonym), 0);
}

#[actix_web::test]
async fn a_counsellors_close_outcome_is_sealed_and_goes_with_her_contact_details() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&escalation_settings(&redis, &mock));
    let n = fresh_number();
    her_story(&gw, &n).await;
    let id = gw.store.cases().open_ids().await.unwrap()[0].clone();
    let case = gw.cases.case(&id).await.unwrap().unwrap();
    let outcome = "moved to her sister in Kisumu";
    assert!(gw.cases.close(&case, "c1", outcome).await.unwrap());
    let log = gw.store.cases().log(&id).await.unwrap();
    assert!(log.last().unwrap().ends_with("closed by c1 (outcome sealed with the case)"), "{log:?}");
    for key in redis.keys() {
        assert!(contents(&redis, &key).iter().all(|v| !String::from_utf8_lossy(v).contains("Kisumu")), "{key}");
    }
    let sealed: Vec<u8> =
        redis::from_redis_value(redis.query(&["HGET", &format!("salama:{{esc}}:case:{id}"), "outcome"]).unwrap())
            .unwrap();
    assert!(!sealed.is_empty(), "the outcome is kept, sealed");
    gw.records.erase(&salama::phone::E164::parse(&n, None).unwrap()).await.unwrap();
    let after: Vec<u8> =
        redis::from_redis_value(redis.query(&["HGET", &format!("salama:{{esc}}:case:{id}"), "outcome"]).unwrap())
            .unwrap();
    assert!(after.is_empty(), "erasure drops the outcome with her contact details");
}
