//! Cases: opening and merging, codes, versioned writes, closing, timers, retention.

use salama::store::{CaseOpen, CaseWrite, Opened, Release, Replicated, Store, Timer};

fn open(id: &str, code: &str, pseudonym: &str, urgency: (&str, u8), due_ms: u64) -> CaseOpen {
    let b = |v: &str| v.as_bytes().to_vec();
    CaseOpen {
        id: id.into(),
        code: code.into(),
        pseudonym: pseudonym.into(),
        helpline: "ke".into(),
        urgency_rank: urgency.1,
        urgency: urgency.0.into(),
        due_ms,
        fields: vec![
            ("state", b("open")),
            ("code", b(code)),
            ("urgency", b(urgency.0)),
            ("urgency_rank", b(&urgency.1.to_string())),
            ("pseudonym", b(pseudonym)),
            ("number", b("sealed-number")),
            ("note", b("sealed-note")),
            ("call_ok", b("no")),
        ],
        updates: vec![("call_ok", b("yes"))],
        log_created: "created".into(),
        log_raised: "raised".into(),
        log_updated: "updated".into(),
    }
}

fn field(case: &std::collections::HashMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(case.get(name).cloned().unwrap_or_default()).unwrap()
}

pub async fn the_case_rules_hold(store: &Store) {
    let cases = store.cases();
    assert_eq!(
        cases.open(&open("c1", "K7MP3", "her", ("high", 2), 1_000)).await.unwrap(),
        (Opened::Created("c1".into()), Replicated::Yes)
    );
    let case = cases.get("c1").await.unwrap().expect("the case is kept");
    assert_eq!((field(&case, "state"), field(&case, "version")), ("open".into(), "1".into()));

    // Her second escalation on the same helpline merges: lower urgency updates her answers,
    // higher urgency raises the case.
    assert_eq!(
        cases.open(&open("c2", "AAAAA", "her", ("normal", 1), 1_000)).await.unwrap(),
        (Opened::Merged("c1".into()), Replicated::Yes)
    );
    let case = cases.get("c1").await.unwrap().unwrap();
    assert_eq!(
        (field(&case, "call_ok"), field(&case, "urgency"), field(&case, "version")),
        ("yes".into(), "high".into(), "2".into())
    );
    assert_eq!(
        cases.open(&open("c3", "BBBBB", "her", ("critical", 3), 1_000)).await.unwrap(),
        (Opened::Merged("c1".into()), Replicated::Yes)
    );
    assert_eq!(field(&cases.get("c1").await.unwrap().unwrap(), "urgency"), "critical");
    assert_eq!(cases.get("c2").await.unwrap(), None, "a merge opens nothing");
    assert_eq!(cases.log("c1").await.unwrap(), vec!["created", "updated", "raised"]);

    // A code in use is refused; codes are found whatever their case.
    assert_eq!(
        cases.open(&open("c4", "K7MP3", "someone", ("high", 2), 1_000)).await.unwrap(),
        (Opened::CodeTaken, Replicated::Yes)
    );
    assert_eq!(cases.by_code("k7mp3").await.unwrap().as_deref(), Some("c1"));
    assert_eq!(cases.open_for("her", "ke").await.unwrap().as_deref(), Some("c1"));
    assert_eq!(cases.open_for("her", "bj").await.unwrap(), None);

    // A write applies only at the version it read.
    let write = |version, close| CaseWrite {
        id: "c1".into(),
        version,
        fields: vec![("state", b"closed".to_vec())],
        timer: Timer::Clear,
        close,
        log: vec!["closed by +2547…".into()],
    };
    assert!(!cases.write(&write(2, None)).await.unwrap(), "a stale version");
    assert_eq!(cases.write_replicated(&write(2, None)).await.unwrap(), None, "nothing to wait for");
    let release = Release { code: "K7MP3".into(), pseudonym: "her".into(), helpline: "ke".into() };
    assert_eq!(cases.open_ids().await.unwrap(), vec!["c1".to_owned()]);
    // No replica here (one Redis, the embedded store): the write that waits for one does not.
    assert_eq!(cases.write_replicated(&write(3, Some(release))).await.unwrap(), Some(Replicated::Yes));
    let case = cases.get("c1").await.unwrap().unwrap();
    assert_eq!((field(&case, "state"), field(&case, "version")), ("closed".into(), "4".into()));

    // Closing releases the code and her handle; the case stays for reports and erasure.
    assert!(cases.open_ids().await.unwrap().is_empty());
    assert_eq!(cases.by_code("K7MP3").await.unwrap(), None);
    assert_eq!(cases.open_for("her", "ke").await.unwrap(), None);
    assert_eq!(cases.of("her").await.unwrap(), vec!["c1".to_owned()]);
    assert_eq!(cases.all().await.unwrap(), vec!["c1".to_owned()]);
    assert_eq!(cases.claim(u64::MAX / 2, 1_000, 10).await.unwrap(), Vec::<String>::new(), "its timer is cleared");
    assert_eq!(
        cases.open(&open("c5", "K7MP3", "her", ("high", 2), 1_000)).await.unwrap(),
        (Opened::Created("c5".into()), Replicated::Yes)
    );
}

pub async fn the_timer_and_retention_rules_hold(store: &Store) {
    let cases = store.cases();
    cases.open(&open("t1", "CCCCC", "a", ("high", 2), 1_000)).await.unwrap();
    cases.open(&open("t2", "DDDDD", "b", ("high", 2), 5_000)).await.unwrap();

    // A due timer is claimed by one gateway for the lease, then comes due again.
    assert!(cases.claim(999, 60_000, 10).await.unwrap().is_empty());
    assert_eq!(cases.claim(1_000, 60_000, 10).await.unwrap(), vec!["t1".to_owned()]);
    assert_eq!(cases.claim(5_000, 60_000, 10).await.unwrap(), vec!["t2".to_owned()], "t1 is leased");
    assert_eq!(cases.claim(61_000, 60_000, 10).await.unwrap(), vec!["t1".to_owned()], "the lease ran out");

    // A write can move the timer.
    let version: u64 = field(&cases.get("t2").await.unwrap().unwrap(), "version").parse().unwrap();
    let later =
        CaseWrite { id: "t2".into(), version, fields: vec![], timer: Timer::At(500_000), close: None, log: vec![] };
    assert!(cases.write(&later).await.unwrap());
    assert!(cases.claim(499_999, 60_000, 10).await.unwrap().iter().all(|id| id != "t2"));
    assert!(cases.claim(500_000, 60_000, 10).await.unwrap().contains(&"t2".to_owned()));

    // Retention: the purge list gives each case once, when due; anonymizing drops who she is.
    cases.purge_at("t1", 10_000).await.unwrap();
    assert!(cases.purge_due(9_999, 10).await.unwrap().is_empty());
    assert_eq!(cases.purge_due(10_000, 10).await.unwrap(), vec!["t1".to_owned()]);
    assert!(cases.purge_due(10_000, 10).await.unwrap().is_empty());
    cases.anonymize("t1").await.unwrap();
    let case = cases.get("t1").await.unwrap().unwrap();
    assert_eq!(
        (field(&case, "number"), field(&case, "note"), field(&case, "pseudonym")),
        (String::new(), String::new(), String::new())
    );
    assert_eq!(field(&case, "state"), "open", "the case stays as a statistic");
}

/// The embedded store keeps the newest closed cases up to a count; open ones always stay.
#[tokio::test]
async fn the_embedded_cases_stay_bounded() {
    use salama::store::memory::CASES_KEPT;
    let store = Store::open(None, None).unwrap();
    let cases = store.cases();
    assert_eq!(
        cases.open(&open("still-open", "OPEN0", "first", ("high", 2), 0)).await.unwrap(),
        (Opened::Created("still-open".into()), Replicated::Yes)
    );
    for i in 0..CASES_KEPT + 300 {
        let (id, code, who) = (format!("b{i}"), format!("B{i}"), format!("p{i}"));
        cases.open(&open(&id, &code, &who, ("high", 2), 0)).await.unwrap();
        let release = Release { code, pseudonym: who, helpline: "ke".into() };
        let close = CaseWrite {
            id: id.clone(),
            version: 1,
            fields: vec![("state", b"closed".to_vec())],
            timer: Timer::Clear,
            close: Some(release),
            log: vec!["closed".into()],
        };
        assert!(cases.write(&close).await.unwrap());
    }
    let Store::Memory(m) = &store else { unreachable!() };
    assert!(m.cases_len() <= CASES_KEPT + 1, "{} cases kept", m.cases_len());
    assert!(cases.get("still-open").await.unwrap().is_some(), "an open case is never pruned");
    assert_eq!(cases.get("b0").await.unwrap(), None, "the oldest closed case went");
    assert!(cases.log("b0").await.unwrap().is_empty(), "with its trail");
}
