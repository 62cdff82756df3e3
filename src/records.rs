//! What is kept for a number, and the keys it is kept under: her pseudonym, the block list, her
//! erasure (what the erase keyword, the admin API and the console do), and the sealed records
//! read again under the current keys (`salama keys rotate`, `salama check --store`).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use tracing::info;

use crate::cases::Cases;
use crate::outbox::Outbox;
use crate::phone::E164;
use crate::privacy::{Pseudonymizer, Sealer};
use crate::store::{Store, StoreError};

/// The records service, built once at startup.
pub struct Records {
    store: Arc<Store>,
    pseudonyms: Pseudonymizer,
    sealer: Arc<Sealer>,
    cases: Arc<Cases>,
    outbox: Arc<Outbox>,
}

impl Records {
    pub fn new(
        store: Arc<Store>,
        pseudonyms: Pseudonymizer,
        sealer: Arc<Sealer>,
        cases: Arc<Cases>,
        outbox: Arc<Outbox>,
    ) -> Records {
        Records { store, pseudonyms, sealer, cases, outbox }
    }

    /// A number's pseudonym: what names her in every key.
    pub fn pseudonym(&self, number: &E164) -> String {
        self.pseudonyms.of(number)
    }

    /// The pseudonym secret and the encryption keys were made for this run only.
    pub fn keys_are_ephemeral(&self) -> bool {
        self.pseudonyms.ephemeral || self.sealer.ephemeral
    }

    /// Erases everything kept for a number: its sessions, language, transcripts, queued and kept
    /// SMS, and the contact details of its cases (the cases stay, as anonymous statistics).
    pub async fn erase(&self, number: &E164) -> Result<usize, StoreError> {
        let pseudonym = self.pseudonyms.of(number);
        let cancelled = self.outbox.cancel(&pseudonym, true).await?;
        let keys = self.store.subscribers().erase(&pseudonym).await?;
        let cases = self.cases.erase_her(&pseudonym).await?;
        info!(keys, cancelled, cases, "erased everything kept for a number");
        Ok(keys + cancelled + cases)
    }

    /// The block list, by pseudonym (the numbers themselves are not kept).
    pub async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        self.store.subscribers().blocked().await
    }

    /// Puts a number on the block list, or takes it off; returns its pseudonym.
    pub async fn set_blocked(&self, number: &E164, on: bool) -> Result<String, StoreError> {
        let pseudonym = self.pseudonyms.of(number);
        self.store.subscribers().set_blocked(&pseudonym, on).await?;
        Ok(pseudonym)
    }

    /// Seals every record again under the first encryption key (Redis only: the embedded
    /// store's keys die with it).
    pub async fn reseal_all(&self) -> Result<crate::store::redis::Resealed, StoreError> {
        match &*self.store {
            Store::Redis(r) => r.reseal_all(&|sealed, context| self.sealer.reseal(sealed, context).map_err(drop)).await,
            Store::Memory(_) => Ok(Default::default()),
        }
    }

    /// Reads every sealed record in Redis and counts those no configured key opens, with their
    /// key ids (`salama check --store`): (readable, unreadable, key ids). Nothing is written.
    pub async fn unreadable_records(&self) -> Result<(usize, usize, Vec<String>), StoreError> {
        let keys = Mutex::new(BTreeSet::new());
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
}
