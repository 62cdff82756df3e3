//! What the console, the admin API, `salama report` and `/metrics` read of the cases: never
//! her number or her note (those stay sealed in the records they get).

use std::collections::BTreeMap;

use super::Cases;
use crate::escalation::case::{Case, State};
use crate::store::StoreError;

/// (helpline, urgency, category, state) -> cases.
pub type ReportCounts = BTreeMap<(String, String, String, String), usize>;

impl Cases {
    /// Every case whose survivor agreed to anonymous use, open or closed; the others are left
    /// out of every report.
    pub async fn consented(&self) -> Result<Vec<Case>, StoreError> {
        let mut cases = Vec::new();
        for id in self.store.cases().all().await? {
            if let Some(case) = self.case(&id).await?
                && case.consent
            {
                cases.push(case);
            }
        }
        Ok(cases)
    }

    /// Counts of the cases whose survivors agreed to anonymous use, by helpline, urgency,
    /// category and state.
    pub async fn report(&self) -> Result<ReportCounts, StoreError> {
        let mut counts = BTreeMap::new();
        for case in self.consented().await? {
            let key = (case.helpline, case.urgency.as_str().to_owned(), case.category, case.state.as_str().to_owned());
            *counts.entry(key).or_default() += 1;
        }
        Ok(counts)
    }

    /// Open cases, and those nobody has acknowledged yet, by urgency (the `/metrics` gauges).
    pub async fn tally(&self) -> Result<([usize; 3], [usize; 3]), StoreError> {
        let (mut open, mut unacknowledged) = ([0; 3], [0; 3]);
        for case in self.all_open().await? {
            let u = case.urgency as usize;
            match case.state {
                State::Closed => continue,
                State::Acknowledged => {}
                State::Open | State::Paging | State::Unanswered => unacknowledged[u] += 1,
            }
            open[u] += 1;
        }
        Ok((open, unacknowledged))
    }

    /// What changes the console's board: which cases are open, and their versions.
    pub async fn fingerprint(&self) -> Result<String, StoreError> {
        let mut ids = self.store.cases().open_ids().await?;
        ids.sort();
        let mut print = String::new();
        for id in ids {
            let version = self.case(&id).await?.map_or(0, |c| c.version);
            print.push_str(&format!("{id}:{version};"));
        }
        use sha2::Digest;
        Ok(sha2::Sha256::digest(print.as_bytes())[..8].iter().map(|b| format!("{b:02x}")).collect())
    }
}
