//! The USSD and SMS paths, and [`Gateway`], which holds every service, built once at startup.
//! [`ussd`] handles a USSD request, [`sms`] an SMS and a delivery report; cases go through the
//! [`Cases`] service, SMS through the [`Outbox`], erasure and the block list through [`Records`].

mod kept;
mod sms;
mod ussd;

use std::sync::Arc;
use std::time::Duration;

pub use crate::cases::{AckResult, Contact};
pub use sms::SmsOutcome;

use crate::cases::Cases;
use crate::channels::Providers;
use crate::clock::Clock;
use crate::config::Settings;
use crate::escalation::rota::Rota;
use crate::flow::{Effect, Flow, Session};
use crate::helpline::Helplines;
use crate::i18n::Catalog;
use crate::metrics::Metrics;
use crate::outbox::Outbox;
use crate::privacy::{ExposeSecret, Opener, Pseudonymizer, Sealer};
use crate::records::Records;
use crate::store::{Store, StoreError};

/// What to answer the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    /// The session ends with this screen.
    pub end: bool,
}

/// Every service, built once at startup, and what the USSD and SMS paths use themselves.
pub struct Gateway {
    pub helplines: Arc<Helplines>,
    /// Cases: opened, paged, taken, relayed, closed, purged; the rota.
    pub cases: Arc<Cases>,
    /// Queues SMS; its workers send them.
    pub outbox: Arc<Outbox>,
    /// Pseudonyms, the block list, erasure, the keys' rotation.
    pub records: Records,
    /// The SMS providers, each with its settings: webhooks and sends go through them by name.
    pub providers: Arc<Providers>,
    /// The supervisor console's accounts, sign-ins and settings (its test number range too).
    pub console: crate::console::Console,
    /// Bearer token of the admin API; `None`: the API is off.
    pub admin_token: Option<crate::privacy::SecretString>,
    pub metrics: Arc<Metrics>,
    /// Every service reads the time here; tests move it forward.
    pub clock: Arc<Clock>,
    /// The store handle: the USSD and SMS paths keep sessions, dedupe marks and rate limits
    /// through it (every other domain belongs to a service); `/readyz` pings it.
    pub store: Arc<Store>,
    /// The rest is the USSD and SMS paths' own.
    pseudonyms: Pseudonymizer,
    opener: Opener,
    catalog: Arc<Catalog>,
    /// Reads survivors' free text for danger.
    triage: crate::escalation::triage::Triage,
    /// The USSD sessions this gateway saved last (see `kept.rs`).
    kept: kept::Kept,
    session_ttl: Duration,
    remember_ttl: Duration,
    unknown_service_text: String,
    abuse: crate::config::AbuseSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Load(#[from] crate::helpline::LoadError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "with Redis, set SALAMA__PRIVACY__PSEUDONYM_SECRET (at least 32 bytes, e.g. `openssl rand -hex 32`): pseudonyms must stay the same across restarts and instances"
    )]
    NoPseudonymSecret,
    #[error(
        "with Redis, set SALAMA__PRIVACY__ENCRYPTION_KEYS (such as k1:$(openssl rand -hex 32)): numbers and texts are kept encrypted"
    )]
    NoEncryptionKeys,
    #[error(transparent)]
    Secret(#[from] crate::privacy::ShortSecret),
    #[error("SALAMA__PRIVACY__ENCRYPTION_KEYS: {0}")]
    Keys(#[from] crate::privacy::KeyError),
    #[error("cannot read redis.ca_file {0}: {1}")]
    CaFile(std::path::PathBuf, std::io::Error),
    #[error("{0}")]
    Channels(String),
    #[error("cannot make the HTTP client: {0}")]
    Http(String),
    #[error(transparent)]
    Rota(#[from] crate::escalation::rota::RotaError),
    #[error("triage lexicon: {0}")]
    Triage(String),
}

/// A remembered language as the store keeps it: its code, then, when a USSD session remembered
/// it, a space and that session's id ([`SessionKeys::id`](crate::store::SessionKeys::id)). A
/// session rebuilt after it was lost must know whether it began on the language screen (where
/// it chose this language) or on the menu of a caller who had chosen it before: read the other
/// way, a language choice "1" is the menu's "in danger" and opens a false critical case.
fn chosen_by(code: &str, session_id: &str) -> String {
    [code, " ", session_id].concat()
}

/// The code of a remembered language, whoever chose it.
fn language_code(stored: &str) -> &str {
    stored.split_once(' ').map_or(stored, |(code, _)| code)
}

/// The language, unless the USSD session `session_id` remembered it itself.
fn language_from_before<'a>(stored: &'a str, session_id: &str) -> Option<&'a str> {
    match stored.split_once(' ') {
        Some((_, by)) if by == session_id => None,
        _ => Some(language_code(stored)),
    }
}

/// The language a hop's effects ask to remember (the last one chosen).
fn remembered<'a>(flow: &'a Flow, effects: &[Effect]) -> Option<&'a str> {
    effects.iter().rev().find_map(|e| match e {
        Effect::RememberLocale(l) => Some(flow.locales[usize::from(*l)].as_str()),
        _ => None,
    })
}

impl Gateway {
    /// Compiles the flows, opens the store and builds every service; refuses to start on any
    /// error in them.
    pub fn from_settings(settings: &Settings) -> Result<Gateway, StartupError> {
        let (helplines, catalog) = Helplines::load(settings)?;
        let ids: Vec<&str> = helplines.iter().map(|h| h.id.as_str()).collect();
        let rota = Rota::load(&settings.escalation.rota_file, &ids)?;
        let triage = crate::escalation::triage::Triage::load(&settings.locales_dir).map_err(StartupError::Triage)?;
        // The phone-number metadata loads on first use; pay that here, not on a survivor's hop.
        let _ = crate::phone::E164::parse("+254712345678", None);
        let ca_pem = match &settings.redis.ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|e| StartupError::CaFile(path.clone(), e))?),
            None => None,
        };
        let store = Store::open(settings.redis.url.as_deref(), ca_pem)?;
        let embedded = matches!(store, Store::Memory(_));
        let pseudonyms = match &settings.privacy.pseudonym_secret {
            Some(secret) => Pseudonymizer::new(secret.expose_secret().as_bytes())?,
            None if embedded => Pseudonymizer::ephemeral(),
            None => return Err(StartupError::NoPseudonymSecret),
        };
        let sealer = match &settings.privacy.encryption_keys {
            Some(spec) => Sealer::from_spec(spec.expose_secret())?,
            None if embedded => Sealer::ephemeral(),
            None => return Err(StartupError::NoEncryptionKeys),
        };
        let providers = Providers::build(&settings.channels, embedded).map_err(StartupError::Channels)?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.outbox.send_timeout_secs))
            .build()
            .map_err(|e| StartupError::Http(e.to_string()))?;
        let (store, sealer) = (Arc::new(store), Arc::new(sealer));
        let (metrics, clock) = (Arc::new(Metrics::default()), Arc::new(Clock::default()));
        let (helplines, catalog) = (Arc::new(helplines), Arc::new(catalog));
        let opener = Opener::new(sealer.clone(), metrics.clone());
        let providers = Arc::new(providers);
        let first_pages = crate::cases::FirstPages { store: store.clone(), metrics: metrics.clone() };
        let parts = crate::outbox::Parts {
            store: store.clone(),
            opener: opener.clone(),
            clock: clock.clone(),
            metrics: metrics.clone(),
            providers: providers.clone(),
            http,
            accepted: Some(Arc::new(first_pages)),
        };
        let test_numbers = settings.console.test_numbers.clone();
        let outbox = Arc::new(Outbox::new(parts, settings.outbox.clone(), test_numbers.clone()));
        let remember_ttl = Duration::from_secs(settings.privacy.remember_days * 24 * 3600);
        let parts = crate::cases::Parts {
            store: store.clone(),
            opener: opener.clone(),
            outbox: outbox.clone(),
            helplines: helplines.clone(),
            catalog: catalog.clone(),
            metrics: metrics.clone(),
            clock: clock.clone(),
        };
        let case_settings = crate::cases::Settings {
            escalation: settings.escalation.clone(),
            retention: settings.retention.clone(),
            remember_ttl,
            test_numbers,
        };
        let cases = Arc::new(Cases::new(parts, rota, case_settings));
        let records = Records::new(store.clone(), pseudonyms.clone(), sealer, cases.clone(), outbox.clone());
        Ok(Gateway {
            helplines,
            cases,
            outbox,
            records,
            providers,
            console: crate::console::Console::new(settings),
            admin_token: settings.admin.token.clone(),
            metrics,
            clock,
            store,
            pseudonyms,
            opener,
            catalog,
            triage,
            kept: kept::Kept::default(),
            session_ttl: Duration::from_secs(settings.ussd.session_ttl_secs),
            remember_ttl,
            unknown_service_text: settings.ussd.unknown_service_text.clone(),
            abuse: settings.abuse.clone(),
        })
    }

    /// `/metrics`: the gauges read now from the outbox and the cases, then everything rendered.
    /// When the store fails the gauges keep their last values (and `salama_store_errors_total`
    /// moves): the counters are still worth scraping.
    pub async fn metrics_text(&self) -> String {
        let read = async {
            self.metrics.outbox(&self.outbox.backlog().await?, self.clock.now_ms());
            let (open, unacknowledged) = self.cases.tally().await?;
            self.metrics.cases(open, unacknowledged);
            Ok::<(), StoreError>(())
        };
        if let Err(e) = read.await {
            self.metrics.store_error();
            tracing::warn!(error = %e, "metrics: the store failed; the gauges show their last values");
        }
        self.metrics.render()
    }

    /// A session as stored: the hop count in clear (the store compares it), the rest
    /// sealed under the session's key.
    fn seal_session(&self, flow: &Flow, key: &str, session: &Session) -> Vec<u8> {
        let encoded = session.encode(flow.fingerprint);
        self.opener.seal_after(&encoded[..2], &encoded, key.as_bytes())
    }

    /// `None` for anything that does not open or decode: the caller rebuilds or starts over.
    fn open_session(&self, flow: &Flow, key: &str, stored: &[u8]) -> Option<Session> {
        let encoded = self.opener.open("a USSD session", stored.get(2..)?, key.as_bytes())?;
        Session::decode(&encoded, flow.fingerprint)
    }

    /// Erases everything kept for a number ([`Records::erase`]), and what this gateway kept of
    /// USSD sessions in memory with it.
    pub async fn erase(&self, number: &crate::phone::E164) -> Result<usize, StoreError> {
        let erased = self.records.erase(number).await;
        self.kept.clear();
        erased
    }

    /// Counts a saved hop's effects (the escalations' cases were opened before the save).
    fn apply(&self, effects: &[Effect]) {
        for effect in effects {
            if let Effect::Escalate { urgency, .. } = effect {
                self.metrics.escalation(*urgency);
            }
        }
    }
}
