//! The metrics that need the store: the gauges read at each scrape, and the page latency read
//! from the case a page belongs to.

use tracing::warn;

use super::Metrics;
use crate::engine::Gateway;
use crate::escalation::case::{Case, State};
use crate::store::{Store, StoreError};

impl Gateway {
    /// `/metrics`: the gauges read from the store now, then everything rendered. When the store
    /// fails the gauges keep their last values (and `salama_store_errors_total` moves): the
    /// counters are still worth scraping.
    pub async fn metrics_text(&self) -> String {
        if let Err(e) = self.read_gauges().await {
            self.metrics.store_error();
            warn!(error = %e, "metrics: the store failed; the gauges show their last values");
        }
        self.metrics.render()
    }

    /// One outbox read, then the open cases (one read each: a helpline holds tens, not
    /// thousands).
    async fn read_gauges(&self) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        self.metrics.outbox(&self.store.outbox().backlog(now).await?, now);
        let (mut open, mut unacknowledged) = ([0; 3], [0; 3]);
        for id in self.store.cases().open_ids().await? {
            let Some(case) = self.case(&id).await? else { continue };
            let u = case.urgency as usize;
            match case.state {
                State::Closed => continue,
                State::Acknowledged => {}
                State::Open | State::Paging | State::Unanswered => unacknowledged[u] += 1,
            }
            open[u] += 1;
        }
        self.metrics.cases(open, unacknowledged);
        Ok(())
    }
}

/// Called when a provider accepted outbox message `id`: if it is a page of a case's first
/// level, records how long after the case opened it went out.
pub async fn page_accepted(store: &Store, metrics: &Metrics, now_ms: u64, id: &str) {
    let Some(case_id) = first_page_of(id) else { return };
    match store.cases().get(case_id).await.map(|f| f.and_then(|fields| Case::from_fields(case_id, fields))) {
        Ok(Some(case)) => {
            let seconds = now_ms.saturating_sub(case.created_ms) as f64 / 1000.0;
            metrics.page_accepted(case.urgency, seconds);
        }
        Ok(None) => {}
        Err(e) => {
            metrics.store_error();
            warn!(error = %e, "metrics: the store failed reading a paged case");
        }
    }
}

/// The case id in the outbox id of a first-level page: `page-<case id>-<round>-<level>-<counsellor>`
/// (made in `engine/cases/paging.rs`), round 0 and level 0. Later levels wait by design, and
/// supervisors' pages mean nobody answered: neither says how fast the first page went out.
fn first_page_of(id: &str) -> Option<&str> {
    let (case_id, rest) = id.strip_prefix("page-")?.split_once('-')?;
    rest.starts_with("0-0-").then_some(case_id)
}

#[cfg(test)]
mod tests {
    use super::first_page_of;

    #[test]
    fn only_first_level_pages_name_their_case() {
        assert_eq!(first_page_of("page-0123456789abcdef-0-0-amina"), Some("0123456789abcdef"));
        assert_eq!(first_page_of("page-0123456789abcdef-0-1-amina"), None);
        assert_eq!(first_page_of("page-0123456789abcdef-1-0-amina"), None);
        assert_eq!(first_page_of("sup-0123456789abcdef-first-amina"), None);
        assert_eq!(first_page_of("r-0123-0"), None);
    }
}
