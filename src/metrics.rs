//! Counters for `/metrics`, in Prometheus text format.
//!
//! Hand-rolled on purpose: a handful of counters does not need a metrics stack. Labels take only
//! values from fixed lists (never a number, a session id or free text).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::channels::SessionEnd;
use crate::flow::Urgency;

#[derive(Default)]
pub struct Metrics {
    ussd_hops: AtomicU64,
    ussd_rebuilt: AtomicU64,
    ussd_repeats: AtomicU64,
    ussd_unknown_service: AtomicU64,
    ussd_quick_exits: AtomicU64,
    store_errors: AtomicU64,
    sms_in: AtomicU64,
    sms_duplicates: AtomicU64,
    sms_unknown_number: AtomicU64,
    sms_sent: AtomicU64,
    sms_dead: AtomicU64,
    sms_ignored: AtomicU64,
    session_ends: [AtomicU64; 4],
    escalations: [AtomicU64; 3],
    /// Sends of a message an earlier attempt had started (outcome unknown): pages, replies.
    sent_again: [AtomicU64; 2],
    /// Answers a worker could not record because its claim had passed to another.
    claims_lost: AtomicU64,
    undecryptable: AtomicU64,
    /// Key ids already logged as unreadable, so that each is logged once.
    unreadable_keys: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Metrics {
    pub fn hop(&self) {
        self.ussd_hops.fetch_add(1, Relaxed);
    }
    pub fn rebuilt(&self) {
        self.ussd_rebuilt.fetch_add(1, Relaxed);
    }
    pub fn repeat(&self) {
        self.ussd_repeats.fetch_add(1, Relaxed);
    }
    pub fn unknown_service(&self) {
        self.ussd_unknown_service.fetch_add(1, Relaxed);
    }
    pub fn quick_exit(&self) {
        self.ussd_quick_exits.fetch_add(1, Relaxed);
    }
    pub fn store_error(&self) {
        self.store_errors.fetch_add(1, Relaxed);
    }
    pub fn sms_in(&self) {
        self.sms_in.fetch_add(1, Relaxed);
    }
    pub fn sms_duplicate(&self) {
        self.sms_duplicates.fetch_add(1, Relaxed);
    }
    pub fn sms_unknown_number(&self) {
        self.sms_unknown_number.fetch_add(1, Relaxed);
    }
    pub fn sms_sent(&self) {
        self.sms_sent.fetch_add(1, Relaxed);
    }
    pub fn sms_dead(&self) {
        self.sms_dead.fetch_add(1, Relaxed);
    }
    pub fn sms_ignored(&self) {
        self.sms_ignored.fetch_add(1, Relaxed);
    }
    pub fn session_end(&self, end: SessionEnd) {
        self.session_ends[end as usize].fetch_add(1, Relaxed);
    }
    pub fn escalation(&self, urgency: Urgency) {
        self.escalations[urgency as usize].fetch_add(1, Relaxed);
    }

    /// A message sent again after an attempt whose outcome is unknown: a possible duplicate.
    pub fn sent_again(&self, page: bool) {
        self.sent_again[usize::from(!page)].fetch_add(1, Relaxed);
    }
    pub fn sent_again_total(&self) -> u64 {
        self.sent_again.iter().map(|a| a.load(Relaxed)).sum()
    }
    pub fn claim_lost(&self) {
        self.claims_lost.fetch_add(1, Relaxed);
    }
    /// A sealed record no configured key opens; `true` the first time for this key id (log it).
    pub fn undecryptable(&self, key_id: &str) -> bool {
        self.undecryptable.fetch_add(1, Relaxed);
        self.unreadable_keys.lock().unwrap_or_else(|e| e.into_inner()).insert(key_id.to_owned())
    }
    pub fn undecryptable_total(&self) -> u64 {
        self.undecryptable.load(Relaxed)
    }

    pub fn session_ends(&self, end: SessionEnd) -> u64 {
        self.session_ends[end as usize].load(Relaxed)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, values: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (labels, value) in values {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        let get = |a: &AtomicU64| a.load(Relaxed);
        counter("salama_ussd_hops_total", "USSD requests answered.", &[("", get(&self.ussd_hops))]);
        counter(
            "salama_ussd_rebuilt_total",
            "USSD sessions rebuilt from the input path.",
            &[("", get(&self.ussd_rebuilt))],
        );
        counter(
            "salama_ussd_repeats_total",
            "Repeated USSD requests answered from the stored session.",
            &[("", get(&self.ussd_repeats))],
        );
        counter(
            "salama_ussd_unknown_service_total",
            "USSD requests for a service code no helpline uses.",
            &[("", get(&self.ussd_unknown_service))],
        );
        counter(
            "salama_ussd_quick_exits_total",
            "Sessions left with the quick exit.",
            &[("", get(&self.ussd_quick_exits))],
        );
        counter(
            "salama_store_errors_total",
            "Store calls that failed; the survivor got the fallback screen.",
            &[("", get(&self.store_errors))],
        );
        counter("salama_sms_in_total", "Inbound SMS handled.", &[("", get(&self.sms_in))]);
        counter(
            "salama_sms_duplicates_total",
            "Inbound SMS already handled (provider retries).",
            &[("", get(&self.sms_duplicates))],
        );
        counter(
            "salama_sms_unknown_number_total",
            "Inbound SMS to a number no helpline uses.",
            &[("", get(&self.sms_unknown_number))],
        );
        counter("salama_sms_sent_total", "SMS a provider accepted.", &[("", get(&self.sms_sent))]);
        counter("salama_sms_dead_total", "SMS moved to the dead letters.", &[("", get(&self.sms_dead))]);
        counter(
            "salama_sms_ignored_total",
            "Inbound SMS from blocked numbers or over the rate limit.",
            &[("", get(&self.sms_ignored))],
        );
        counter(
            "salama_outbox_sent_again_total",
            "SMS sent again after a lost worker had started sending them: possible duplicates.",
            &[("{kind=\"page\"}", get(&self.sent_again[0])), ("{kind=\"reply\"}", get(&self.sent_again[1]))],
        );
        counter(
            "salama_outbox_claims_lost_total",
            "Provider answers not recorded because the message's lease had passed to another worker.",
            &[("", get(&self.claims_lost))],
        );
        counter(
            "salama_undecryptable_records_total",
            "Sealed records no configured key opens (see the log for the key id).",
            &[("", get(&self.undecryptable))],
        );
        let ends = [SessionEnd::Incomplete, SessionEnd::Success, SessionEnd::Failed, SessionEnd::Other];
        let end_labels: Vec<(String, u64)> =
            ends.iter().map(|e| (format!("{{status=\"{}\"}}", e.as_str()), self.session_ends(*e))).collect();
        let end_values: Vec<(&str, u64)> = end_labels.iter().map(|(l, v)| (l.as_str(), *v)).collect();
        counter("salama_ussd_session_ends_total", "End-of-session notifications by status.", &end_values);
        let urgencies = [Urgency::Normal, Urgency::High, Urgency::Critical];
        let esc_labels: Vec<(String, u64)> = urgencies
            .iter()
            .map(|u| (format!("{{urgency=\"{}\"}}", u.as_str()), get(&self.escalations[*u as usize])))
            .collect();
        let esc_values: Vec<(&str, u64)> = esc_labels.iter().map(|(l, v)| (l.as_str(), *v)).collect();
        counter("salama_escalations_total", "Escalations requested by flows.", &esc_values);
        out
    }
}
