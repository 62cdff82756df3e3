//! The store's contract: every rule, one test body per domain, run on Redis and on the embedded
//! store (the demo runs on the embedded one, deployments on Redis: they must agree). A rule
//! added to a domain here runs on both backends by itself.

mod cases;
mod outbox;
mod sessions;
mod subscribers;

use salama::store::Store;

use crate::support::TestRedis;
use crate::support::cluster::TestCluster;

/// Two tests per domain: `memory::<domain>` and `redis::<domain>`, each on a fresh store.
macro_rules! on_both_backends {
    ($($domain:ident => $rules:path),* $(,)?) => {
        mod memory {
            use super::*;
            $(#[tokio::test]
            async fn $domain() {
                $rules(&Store::open(None, None).unwrap()).await;
            })*
        }
        mod redis {
            use super::*;
            $(#[tokio::test]
            async fn $domain() {
                let redis = TestRedis::start();
                $rules(&Store::open(Some(&redis.url()), None).unwrap()).await;
            })*
        }
    };
}

on_both_backends! {
    sessions => sessions::the_session_rules_hold,
    sms_conversations => sessions::the_sms_rules_hold,
    outbox => outbox::the_outbox_rules_hold,
    cases => cases::the_case_rules_hold,
    case_timers_and_retention => cases::the_timer_and_retention_rules_hold,
    subscribers => subscribers::the_subscriber_rules_hold,
}

/// Every rule again on a Redis Cluster (three masters, three replicas), one cluster for all,
/// flushed between domains.
#[tokio::test]
async fn every_rule_holds_on_a_redis_cluster() {
    let cluster = TestCluster::start();
    let store = || Store::open(Some(&cluster.url()), None).unwrap();
    sessions::the_session_rules_hold(&store()).await;
    cluster.flush();
    sessions::the_sms_rules_hold(&store()).await;
    cluster.flush();
    outbox::the_outbox_rules_hold(&store()).await;
    cluster.flush();
    cases::the_case_rules_hold(&store()).await;
    cluster.flush();
    cases::the_timer_and_retention_rules_hold(&store()).await;
    cluster.flush();
    subscribers::the_subscriber_rules_hold(&store()).await;
}
