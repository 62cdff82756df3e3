//! What her quick exit leaves to do: cancel the SMS queued for her, forget the session, and end
//! a relay (the counsellor is told she left). Her goodbye is chosen from the compiled flow with
//! no store call, so it is neutral even when the store is down. This clean-up then runs before
//! the goodbye leaves, for at most [`INLINE`], so that nothing queued for her goes out after she
//! left; its three steps run side by side, so the exit hop waits about as long as ending a relay
//! takes, then cancels once more (five round trips when a counsellor holds her case, six if the
//! outbox waits for a replica, one when she has none). What is not done by then, or fails, the
//! cases worker retries until it is done.

use std::time::Duration;

use fluent_bundle::FluentArgs;
use tracing::{info, warn};

use super::Cases;
use super::actions::change;
use crate::escalation::case::State;
use crate::helpline::Helpline;
use crate::store::{SessionKeys, SessionSave, SmsKeys, SmsSave, StoreError, Timer};

/// How long a survivor's request waits on the clean-up before leaving it to the worker.
const INLINE: Duration = Duration::from_secs(2);

/// One quick exit's clean-up.
#[derive(Debug, Clone)]
pub(crate) struct Exit {
    pub pseudonym: String,
    pub helpline: String,
    pub session: ExitSession,
}

#[derive(Debug, Clone)]
pub(crate) enum ExitSession {
    Ussd(SessionKeys),
    Sms(SmsKeys),
}

impl Cases {
    /// Tries the clean-up briefly; what is not done is left to [`Cases::retry_exits`].
    pub(crate) async fn after_exit(&self, exit: Exit) {
        match tokio::time::timeout(INLINE, self.finish_exit(&exit)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                warn!(error = %e, "quick exit: the clean-up failed; the worker retries it");
                self.pending_exits.lock().unwrap_or_else(|p| p.into_inner()).push(exit);
            }
            Err(_) => {
                warn!("quick exit: the clean-up is slow; the worker retries it");
                self.pending_exits.lock().unwrap_or_else(|p| p.into_inner()).push(exit);
            }
        }
    }

    /// Retries the quick exits' clean-ups left undone; returns how many are still left.
    pub async fn retry_exits(&self) -> usize {
        let pending: Vec<Exit> = std::mem::take(&mut *self.pending_exits.lock().unwrap_or_else(|p| p.into_inner()));
        let mut left = Vec::new();
        for exit in pending {
            if self.finish_exit(&exit).await.is_err() {
                left.push(exit);
            }
        }
        let mut pending = self.pending_exits.lock().unwrap_or_else(|p| p.into_inner());
        pending.extend(left);
        pending.len()
    }

    /// Every step is safe to repeat, and none waits on another (the counsellor's notice is no
    /// SMS of hers, so the cancel leaves it): the three go out together, and the exit hop waits
    /// on the longest of them, not on their sum.
    async fn finish_exit(&self, exit: &Exit) -> Result<(), StoreError> {
        let end_relay = async {
            match self.helplines.get(&exit.helpline) {
                Some(helpline) => self.end_relay(helpline, &exit.pseudonym).await,
                None => Ok(false),
            }
        };
        let (_, _, ended) =
            tokio::try_join!(self.outbox.cancel(&exit.pseudonym, false), self.forget(&exit.session), end_relay)?;
        // A counsellor's message that read the case before `left` was written may have been
        // queued after the first cancel: a second one, once `left` is written, takes it. (One
        // whose read came before `left` and its queueing after this cancel still goes: a
        // window of a round trip, closed only by the outbox refusing her messages after an exit.)
        if ended {
            self.outbox.cancel(&exit.pseudonym, false).await?;
        }
        Ok(())
    }

    /// Her conversation, gone (her remembered language stays).
    async fn forget(&self, session: &ExitSession) -> Result<(), StoreError> {
        match session {
            ExitSession::Ussd(keys) => {
                let save = SessionSave {
                    hops: u16::MAX,
                    session: None,
                    ttl: Duration::from_secs(1),
                    remember: None,
                    remember_ttl: self.settings.remember_ttl,
                };
                self.store.sessions().save(keys, &save).await.map(drop)
            }
            ExitSession::Sms(keys) => {
                let save = SmsSave {
                    session: None,
                    ttl: Duration::from_secs(1),
                    seen_ttl: Duration::from_secs(24 * 3600),
                    transcript: None,
                    remember: None,
                    remember_ttl: self.settings.remember_ttl,
                };
                self.store.sessions().save_sms(keys, &save).await.map(drop)
            }
        }
    }

    /// Her exit ends a relay: the case is marked, so the counsellor's next message is not
    /// delivered, and the counsellor is told, in their language.
    /// Returns whether it ended one now.
    async fn end_relay(&self, helpline: &Helpline, pseudonym: &str) -> Result<bool, StoreError> {
        loop {
            let Some(id) = self.store.cases().open_for(pseudonym, &helpline.id).await? else { return Ok(false) };
            let Some(case) = self.case(&id).await? else { return Ok(false) };
            if case.state != State::Acknowledged || case.left {
                return Ok(false);
            }
            // Told first: a failure after this retries the whole step, and the outbox takes a
            // message id once.
            if let Some(c) = self.rota.by_id(&case.assigned)
                && let Some(phone) = self.rota.counsellors[c].phone.clone()
            {
                let mut args = FluentArgs::new();
                args.set("code", case.code.clone());
                let text = self.say(&self.counsellor_locale(c), "crisis-she-left", &args);
                self.enqueue(helpline, &format!("left-{}-{}", case.id, case.version), &phone, &text).await?;
            }
            let log = self.log_line("she left (quick exit): nothing more is relayed to her");
            if self.write_kept(&change(&case, vec![("left", b"yes".to_vec())], Timer::Keep, log), "case_exit").await? {
                info!(case = %case.code, "quick exit ended a relay");
                return Ok(true);
            }
        }
    }
}
