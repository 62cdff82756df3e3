//! What `/metrics` shows, through `prometheus-client` in the Prometheus text format (0.0.4).
//!
//! Counters and histograms move where things happen; the gauges (outbox, cases) are read from the
//! store at each scrape (`Gateway::metrics_text`, through the outbox and cases services), so every gateway sharing a Redis shows the same values.
//! Labels take only values from fixed lists (channel, urgency, source, status): never a number, a
//! session id or free text. Every labelled series exists from the start, at 0, so that an alert
//! on it has something to compare.

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::channels::SessionEnd;
use crate::flow::Urgency;
use crate::store::Backlog;

/// The Prometheus text format's, version 0.0.4.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// One label: (name, value from a fixed list).
type Label = [(&'static str, &'static str); 1];
type Histograms = Family<Label, Histogram, fn() -> Histogram>;

const URGENCIES: [Urgency; 3] = [Urgency::Normal, Urgency::High, Urgency::Critical];
const SESSION_ENDS: [SessionEnd; 4] =
    [SessionEnd::Incomplete, SessionEnd::Success, SessionEnd::Failed, SessionEnd::Other];
/// Seconds. Africa's Talking drops a USSD session whose screen takes more than a few seconds.
/// The writes that wait for a Redis replica, as `salama_store_unreplicated_total` labels them:
/// the outbox's ENQUEUE and START, a case opened or merged, her answers or note, her exit.
const UNREPLICATED_WRITES: [&str; 5] = ["queued", "started", "case_opened", "case_answers", "case_exit"];
const HOP_BUCKETS: [f64; 12] = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Seconds, from a case opening to a page the provider accepted.
const PAGE_BUCKETS: [f64; 11] = [1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0];

/// How a contact reached the gateway (the hop histogram's `channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Ussd,
    Sms,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Ussd => "ussd",
            Channel::Sms => "sms",
        }
    }
}

/// What opened a case (`salama_cases_opened_total`'s `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A flow's escalating menu choice.
    Menu,
    /// Triage read danger in her own words.
    Triage,
}

impl Source {
    /// Triage opens its cases under the category `triage`; a flow's menu under its own.
    pub fn of(category: &str) -> Source {
        if category == "triage" { Source::Triage } else { Source::Menu }
    }

    fn as_str(self) -> &'static str {
        match self {
            Source::Menu => "menu",
            Source::Triage => "triage",
        }
    }
}

pub struct Metrics {
    registry: Registry,
    ussd_hops: Counter,
    ussd_rebuilt: Counter,
    ussd_repeats: Counter,
    ussd_unknown_service: Counter,
    ussd_quick_exits: Counter,
    store_errors: Counter,
    sms_in: Counter,
    sms_duplicates: Counter,
    sms_unknown_number: Counter,
    sms_sent: Counter,
    sms_dead: Counter,
    sms_ignored: Counter,
    session_ends: Family<Label, Counter>,
    escalations: Family<Label, Counter>,
    cases_opened: Family<[(&'static str, &'static str); 2], Counter>,
    hop_duration: Histograms,
    /// `hop_duration`'s two series, looked up once: a family's lookup takes its lock on every hop.
    hop_duration_by_channel: [Histogram; 2],
    page_latency: Histograms,
    outbox_backlog: Gauge,
    outbox_oldest_age: Gauge,
    outbox_dead_letters: Gauge,
    cases_open: Family<Label, Gauge>,
    cases_unacknowledged: Family<Label, Gauge>,
    /// Sends of a message an earlier attempt had started (outcome unknown), by kind.
    sent_again: Family<Label, Counter>,
    /// Answers a worker could not record because its claim had passed to another.
    claims_lost: Counter,
    /// Writes no Redis replica had confirmed, by `write` ([`UNREPLICATED_WRITES`]).
    unreplicated: Family<Label, Counter>,
    undecryptable: Counter,
    /// Key ids already logged as unreadable, so that each is logged once.
    unreadable_keys: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("salama");
        let mut counter = |name: &str, help: &str| {
            let c = Counter::default();
            registry.register(name, help, c.clone());
            c
        };
        let (ussd_hops, ussd_rebuilt, ussd_repeats) = (
            counter("ussd_hops", "USSD requests answered"),
            counter("ussd_rebuilt", "USSD sessions rebuilt from the input path (lost, or from an older flow)"),
            counter("ussd_repeats", "Repeated USSD requests answered from the stored session"),
        );
        let (ussd_unknown_service, ussd_quick_exits) = (
            counter("ussd_unknown_service", "USSD requests for a service code no helpline uses"),
            counter("ussd_quick_exits", "Sessions left with the quick exit"),
        );
        let store_errors = counter(
            "store_errors",
            "Store calls that failed: a survivor's hop (fallback screen), an SMS webhook (503), a worker, the admin API or console, a scrape",
        );
        let (sms_in, sms_duplicates, sms_unknown_number) = (
            counter("sms_in", "Inbound SMS handled"),
            counter("sms_duplicates", "Inbound SMS already handled (provider retries)"),
            counter("sms_unknown_number", "Inbound SMS to a number no helpline uses"),
        );
        let (sms_sent, sms_dead, sms_ignored) = (
            counter("sms_sent", "SMS a provider accepted"),
            counter("sms_dead", "SMS moved to the dead letters"),
            counter("sms_ignored", "Inbound SMS from blocked numbers or over the rate limit"),
        );
        let (claims_lost, undecryptable) = (
            counter(
                "outbox_claims_lost",
                "Provider answers not recorded because the message's lease had passed to another worker",
            ),
            counter("undecryptable_records", "Sealed records no configured key opens (the log names the key id)"),
        );
        let metrics = Metrics {
            ussd_hops,
            ussd_rebuilt,
            ussd_repeats,
            ussd_unknown_service,
            ussd_quick_exits,
            store_errors,
            sms_in,
            sms_duplicates,
            sms_unknown_number,
            sms_sent,
            sms_dead,
            sms_ignored,
            session_ends: Family::default(),
            escalations: Family::default(),
            cases_opened: Family::default(),
            hop_duration: Family::new_with_constructor(|| Histogram::new(HOP_BUCKETS)),
            hop_duration_by_channel: [Histogram::new(HOP_BUCKETS), Histogram::new(HOP_BUCKETS)],
            page_latency: Family::new_with_constructor(|| Histogram::new(PAGE_BUCKETS)),
            outbox_backlog: Gauge::default(),
            outbox_oldest_age: Gauge::default(),
            outbox_dead_letters: Gauge::default(),
            cases_open: Family::default(),
            cases_unacknowledged: Family::default(),
            sent_again: Family::default(),
            claims_lost,
            unreplicated: Family::default(),
            undecryptable,
            unreadable_keys: Default::default(),
            registry,
        };
        metrics.register_the_rest()
    }
}

impl Metrics {
    /// The labelled metrics and the gauges, each series created at 0.
    fn register_the_rest(mut self) -> Self {
        for end in SESSION_ENDS {
            let _ = self.session_ends.get_or_create(&[("status", end.as_str())]);
        }
        for u in URGENCIES {
            let urgency = [("urgency", u.as_str())];
            let _ = self.escalations.get_or_create(&urgency);
            let _ = self.page_latency.get_or_create(&urgency);
            let _ = self.cases_open.get_or_create(&urgency);
            let _ = self.cases_unacknowledged.get_or_create(&urgency);
            for source in [Source::Menu, Source::Triage] {
                let _ = self.cases_opened.get_or_create(&[("source", source.as_str()), ("urgency", u.as_str())]);
            }
        }
        for kind in ["page", "reply"] {
            let _ = self.sent_again.get_or_create(&[("kind", kind)]);
        }
        for write in UNREPLICATED_WRITES {
            let _ = self.unreplicated.get_or_create(&[("write", write)]);
        }
        for channel in [Channel::Ussd, Channel::Sms] {
            self.hop_duration_by_channel[channel as usize] =
                self.hop_duration.get_or_create(&[("channel", channel.as_str())]).clone();
        }
        let r = &mut self.registry;
        r.register("ussd_session_ends", "End-of-session notifications by status", self.session_ends.clone());
        r.register("escalations", "Escalations requested by a flow's menu or by triage", self.escalations.clone());
        r.register(
            "cases_opened",
            "Cases opened (not merged into her open one), by what opened them",
            self.cases_opened.clone(),
        );
        r.register(
            "hop_duration_seconds",
            "Time from a webhook's request to Salama's answer",
            self.hop_duration.clone(),
        );
        r.register(
            "page_latency_seconds",
            "Time from a case opening to each first-level page the provider accepted",
            self.page_latency.clone(),
        );
        r.register(
            "outbox_backlog",
            "SMS queued and not yet sent (due now, waiting for a retry, or being sent)",
            self.outbox_backlog.clone(),
        );
        r.register(
            "outbox_oldest_age_seconds",
            "How long the oldest SMS due now has waited (0 when none)",
            self.outbox_oldest_age.clone(),
        );
        r.register(
            "outbox_dead_letters",
            "SMS in the dead letters now, waiting for a person",
            self.outbox_dead_letters.clone(),
        );
        r.register(
            "outbox_sent_again",
            "SMS sent again after a lost worker had started sending them: possible duplicates",
            self.sent_again.clone(),
        );
        r.register(
            "store_unreplicated",
            "Writes no Redis replica confirmed in time, by write (queued, started, case_opened, case_answers, case_exit): a master lost then could lose the message, the case or her answers, or send a message again unmarked",
            self.unreplicated.clone(),
        );
        r.register("cases_open", "Cases not closed", self.cases_open.clone());
        r.register("cases_unacknowledged", "Open cases nobody has acknowledged yet", self.cases_unacknowledged.clone());
        self
    }

    pub fn hop(&self) {
        self.ussd_hops.inc();
    }
    pub fn rebuilt(&self) {
        self.ussd_rebuilt.inc();
    }
    pub fn repeat(&self) {
        self.ussd_repeats.inc();
    }
    pub fn unknown_service(&self) {
        self.ussd_unknown_service.inc();
    }
    pub fn quick_exit(&self) {
        self.ussd_quick_exits.inc();
    }
    pub fn store_error(&self) {
        self.store_errors.inc();
    }
    pub fn sms_in(&self) {
        self.sms_in.inc();
    }
    pub fn sms_duplicate(&self) {
        self.sms_duplicates.inc();
    }
    pub fn sms_unknown_number(&self) {
        self.sms_unknown_number.inc();
    }
    pub fn sms_sent(&self) {
        self.sms_sent.inc();
    }
    pub fn sms_dead(&self) {
        self.sms_dead.inc();
    }
    pub fn sms_ignored(&self) {
        self.sms_ignored.inc();
    }
    /// A message sent again after an attempt whose outcome is unknown: a possible duplicate.
    pub fn sent_again(&self, page: bool) {
        self.sent_again.get_or_create(&[("kind", if page { "page" } else { "reply" })]).inc();
    }
    pub fn claim_lost(&self) {
        self.claims_lost.inc();
    }
    /// A write its Redis replica did not confirm, one of [`UNREPLICATED_WRITES`]: a master lost
    /// then loses the message (`queued`), could send it again unmarked (`started`), or loses the
    /// case (`case_opened`), her answers or note on it (`case_answers`), or her exit's end of a
    /// relay (`case_exit`).
    pub fn unreplicated(&self, write: &'static str) {
        self.unreplicated.get_or_create(&[("write", write)]).inc();
    }
    /// A sealed record no configured key opens; `true` the first time for this key id (log it).
    pub fn undecryptable(&self, key_id: &str) -> bool {
        self.undecryptable.inc();
        self.unreadable_keys.lock().unwrap_or_else(|e| e.into_inner()).insert(key_id.to_owned())
    }
    pub fn session_end(&self, end: SessionEnd) {
        self.session_ends.get_or_create(&[("status", end.as_str())]).inc();
    }
    pub fn escalation(&self, urgency: Urgency) {
        self.escalations.get_or_create(&[("urgency", urgency.as_str())]).inc();
    }

    /// A new case (not one merged into her open case).
    pub fn case_opened(&self, source: Source, urgency: Urgency) {
        self.cases_opened.get_or_create(&[("source", source.as_str()), ("urgency", urgency.as_str())]).inc();
    }

    /// Times a hop until the returned guard is dropped: `let _hop = metrics.hop_timer(..);`.
    pub fn hop_timer(&self, channel: Channel) -> HopTimer<'_> {
        HopTimer { histogram: &self.hop_duration_by_channel[channel as usize], started: std::time::Instant::now() }
    }

    /// A first-level page the provider accepted, `seconds` after its case opened.
    pub fn page_accepted(&self, urgency: Urgency, seconds: f64) {
        self.page_latency.get_or_create(&[("urgency", urgency.as_str())]).observe(seconds.max(0.0));
    }

    /// The outbox as the store holds it at `now_ms`.
    pub fn outbox(&self, backlog: &Backlog, now_ms: u64) {
        let oldest = backlog.oldest_due_ms.map_or(0, |at| now_ms.saturating_sub(at) / 1000);
        self.outbox_backlog.set(backlog.pending as i64);
        self.outbox_oldest_age.set(oldest as i64);
        self.outbox_dead_letters.set(backlog.dead as i64);
    }

    /// Open and unacknowledged cases, indexed by urgency.
    pub fn cases(&self, open: [usize; 3], unacknowledged: [usize; 3]) {
        for u in URGENCIES {
            self.cases_open.get_or_create(&[("urgency", u.as_str())]).set(open[u as usize] as i64);
            let waiting = unacknowledged[u as usize] as i64;
            self.cases_unacknowledged.get_or_create(&[("urgency", u.as_str())]).set(waiting);
        }
    }

    pub fn session_ends(&self, end: SessionEnd) -> u64 {
        self.session_ends.get_or_create(&[("status", end.as_str())]).get()
    }

    /// Everything, in the Prometheus text format; the gauges as last read ([`scrape`]).
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String fails only if an encoder does, and these never do.
        let _ = prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// Observes the time since it was made when dropped, so every return of a hop is timed.
pub struct HopTimer<'a> {
    histogram: &'a Histogram,
    started: std::time::Instant,
}

impl Drop for HopTimer<'_> {
    fn drop(&mut self) {
        self.histogram.observe(self.started.elapsed().as_secs_f64());
    }
}
