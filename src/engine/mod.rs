//! One inbound contact end to end: find the helpline, load the session, step, save, carry out
//! the effects. [`ussd`] handles a USSD request, [`sms`] an SMS and a delivery report; this file
//! holds what they share.

pub mod cases;
mod sms;
mod ussd;

use std::time::Duration;

pub use cases::{AckResult, Contact};
pub use sms::SmsOutcome;

use std::sync::Arc;

use crate::channels::Providers;
use crate::config::{EscalationSettings, Settings};
use crate::escalation::rota::Rota;
use crate::flow::{Effect, Flow, Session};
use crate::helpline::Helplines;
use crate::i18n::Catalog;
use crate::metrics::Metrics;
use crate::privacy::{ExposeSecret, Pseudonymizer, Sealer};
use crate::store::{Store, StoreError};

/// What to answer the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    /// The session ends with this screen.
    pub end: bool,
}

pub struct Gateway {
    pub helplines: Helplines,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pseudonyms: Pseudonymizer,
    pub(crate) sealer: Arc<Sealer>,
    session_ttl: Duration,
    remember_ttl: Duration,
    unknown_service_text: String,
    /// The SMS providers, each with its settings: webhooks and sends go through them by name.
    pub providers: Arc<Providers>,
    /// Queues SMS; its workers send them.
    pub outbox: Arc<crate::outbox::Outbox>,
    pub rota: Rota,
    pub escalation: EscalationSettings,
    pub abuse: crate::config::AbuseSettings,
    pub retention: crate::config::RetentionSettings,
    /// Bearer token of the admin API; `None`: the API is off.
    pub admin_token: Option<crate::privacy::SecretString>,
    /// Messages built at run time (pages, commands' answers).
    pub(crate) catalog: Catalog,
    /// Reads survivors' free text for danger.
    pub triage: crate::escalation::triage::Triage,
    /// Wakes the escalation worker when a case opens, instead of waiting for its next poll.
    pub wake_escalation: tokio::sync::Notify,
    /// Every service reads the time here; tests move it forward.
    pub clock: Arc<crate::clock::Clock>,
    /// The supervisor console's accounts, sign-ins and settings (its test number range too).
    pub console: crate::console::Console,
    /// Quick exits whose clean-up failed (the store was down): the cases worker retries them.
    pending_exits: std::sync::Mutex<Vec<cases::Exit>>,
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

/// The language a hop's effects ask to remember (the last one chosen).
fn remembered<'a>(flow: &'a Flow, effects: &[Effect]) -> Option<&'a str> {
    effects.iter().rev().find_map(|e| match e {
        Effect::RememberLocale(l) => Some(flow.locales[usize::from(*l)].as_str()),
        _ => None,
    })
}

impl Gateway {
    /// Compiles the flows and opens the store; refuses to start on any error in them.
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
        let http =
            reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.outbox.send_timeout_secs))
            .build().map_err(|e| StartupError::Http(e.to_string()))?;
        let (store, sealer) = (Arc::new(store), Arc::new(sealer));
        let (metrics, clock) = (Arc::new(Metrics::default()), Arc::new(crate::clock::Clock::default()));
        let providers = Arc::new(providers);
        let parts = crate::outbox::Parts {
            store: store.clone(),
            sealer: sealer.clone(),
            clock: clock.clone(),
            metrics: metrics.clone(),
            providers: providers.clone(),
            http,
        };
        let outbox = crate::outbox::Outbox::new(parts, settings.outbox.clone(), settings.console.test_numbers.clone());
        Ok(Gateway {
            helplines,
            store,
            metrics,
            pseudonyms,
            sealer,
            session_ttl: Duration::from_secs(settings.ussd.session_ttl_secs),
            remember_ttl: Duration::from_secs(settings.privacy.remember_days * 24 * 3600),
            unknown_service_text: settings.ussd.unknown_service_text.clone(),
            providers,
            outbox: Arc::new(outbox),
            rota,
            escalation: settings.escalation.clone(),
            abuse: settings.abuse.clone(),
            retention: settings.retention.clone(),
            admin_token: settings.admin.token.clone(),
            catalog,
            triage,
            wake_escalation: tokio::sync::Notify::new(),
            clock,
            console: crate::console::Console::new(settings),
            pending_exits: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// A number in the simulator's marked range (`console.test_numbers`): the engine runs its
    /// flow but opens no case and queues no SMS for it (checked where cases open and SMS queue).
    pub fn is_test_number(&self, number: &crate::phone::E164) -> bool {
        self.console.settings.is_test_number(number.as_str())
    }

    /// A number's pseudonym (for the admin API's block list).
    pub fn pseudonym(&self, number: &crate::phone::E164) -> String {
        self.pseudonyms.of(number)
    }

    /// Erases everything kept for a number: its sessions, language, transcripts, queued and kept
    /// SMS, and the contact details of its cases (the cases stay, as anonymous statistics).
    pub async fn erase(&self, number: &crate::phone::E164) -> Result<usize, StoreError> {
        let pseudonym = self.pseudonyms.of(number);
        let cancelled = self.store.outbox().cancel(&pseudonym, true).await?;
        let keys = self.store.subscribers().erase(&pseudonym).await?;
        let cases = self.store.cases().of(&pseudonym).await?;
        for id in &cases {
            if let Some(case) = self.case(id).await?
                && case.state != crate::escalation::case::State::Closed
            {
                self.close(&case, "erasure", "erased at her request").await?;
            }
            self.store.cases().anonymize(id).await?;
        }
        tracing::info!(keys, cancelled, cases = cases.len(), "erased everything kept for a number");
        Ok(keys + cancelled + cases.len())
    }

    /// Seals every record again under the first encryption key (Redis only: the embedded
    /// store's keys die with it).
    pub async fn reseal_all(&self) -> Result<crate::store::redis::Resealed, StoreError> {
        match &*self.store {
            Store::Redis(r) => r.reseal_all(&|sealed, context| self.sealer.reseal(sealed, context).map_err(drop)).await,
            Store::Memory(_) => Ok(Default::default()),
        }
    }

    /// Opens a sealed record. One that no configured key opens is not silently dropped: it is
    /// counted (`salama_undecryptable_records_total`) and logged once per key id, since after a
    /// key rotation done wrong every conversation would otherwise restart without a word.
    pub(crate) fn unseal(&self, what: &'static str, sealed: &[u8], context: &[u8]) -> Option<Vec<u8>> {
        match self.sealer.open(sealed, context) {
            Ok(clear) => Some(clear),
            Err(e) => {
                let key = Sealer::key_id(sealed);
                if self.metrics.undecryptable(&key) {
                    tracing::error!(what, key, error = %e, "a record no configured key opens (is key {key} still in SALAMA__PRIVACY__ENCRYPTION_KEYS?); further ones under this key are only counted in salama_undecryptable_records_total");
                }
                None
            }
        }
    }

    /// Reads every sealed record in Redis and counts those no configured key opens, with their
    /// key ids (`salama check --store`). Nothing is written.
    pub async fn unreadable_records(&self) -> Result<(usize, usize, Vec<String>), StoreError> {
        let keys = std::sync::Mutex::new(std::collections::BTreeSet::new());
        let check = |sealed: &[u8], context: &[u8]| match self.sealer.open(sealed, context) {
            Ok(_) => Ok(None),
            Err(_) => {
                keys.lock().unwrap_or_else(|e| e.into_inner()).insert(Sealer::key_id(sealed));
                Err(())
            }
        };
        let done = match &*self.store {
            Store::Redis(r) => r.reseal_all(&check).await?,
            Store::Memory(_) => Default::default(),
        };
        let keys = keys.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok((done.current, done.unreadable, keys.into_iter().collect()))
    }

    /// The pseudonym secret and the encryption keys were made for this run only.
    pub fn keys_are_ephemeral(&self) -> bool {
        self.pseudonyms.ephemeral || self.sealer.ephemeral
    }

    /// A session as stored: the hop count in clear (the save script compares it), the rest
    /// sealed under the session's key.
    fn seal_session(&self, flow: &Flow, key: &str, session: &Session) -> Vec<u8> {
        let encoded = session.encode(flow.fingerprint);
        let mut stored = encoded[..2].to_vec();
        stored.extend(self.sealer.seal(&encoded, key.as_bytes()));
        stored
    }

    /// `None` for anything that does not open or decode: the caller rebuilds or starts over.
    fn open_session(&self, flow: &Flow, key: &str, stored: &[u8]) -> Option<Session> {
        let encoded = self.unseal("a USSD session", stored.get(2..)?, key.as_bytes())?;
        Session::decode(&encoded, flow.fingerprint)
    }

    /// Counts a saved hop's effects (the escalations' cases were opened before the save).
    fn apply(&self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::Escalate { urgency, .. } => self.metrics.escalation(*urgency),
                Effect::QuickExit => self.metrics.quick_exit(),
                Effect::RememberLocale(_) | Effect::UpdateContact => {}
            }
        }
    }
}
