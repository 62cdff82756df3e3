//! One SMS put in the outbox, for a counsellor or a survivor: sealed, with the helpline's
//! provider and, for her, her pseudonym and the neutral sender.

use super::Outbox;
use crate::helpline::Helpline;
use crate::phone::E164;
use crate::store::{Enqueue, Priority, Queued, StoreError};

/// Who an SMS is for.
pub enum Recipient<'a> {
    /// Pages and answers to counsellors: queued ahead of replies.
    Counsellor,
    /// `came_by`: the provider her message came in by, when the helpline names none.
    Survivor { pseudonym: &'a str, came_by: Option<crate::channels::ProviderName> },
}

impl Outbox {
    /// Puts one SMS in the outbox; returns whether it was new. A message to a survivor carries
    /// her pseudonym (her quick exit or erasure cancels it) and the helpline's neutral sender.
    pub async fn queue_sms(
        &self,
        helpline: &Helpline,
        id: &str,
        to: &E164,
        text: &str,
        recipient: &Recipient<'_>,
    ) -> Result<bool, StoreError> {
        if self.is_test_number(to) {
            return Ok(false); // the simulator's range: nothing is ever sent to it
        }
        let default = crate::channels::registry::DEFAULT;
        let (priority, provider, owner, sender) = match recipient {
            Recipient::Counsellor => (Priority::Page, helpline.sms.provider.unwrap_or(default), None, None),
            Recipient::Survivor { pseudonym, came_by } => (
                Priority::Reply,
                helpline.sms.provider.or(*came_by).unwrap_or(default),
                Some((*pseudonym).to_owned()),
                helpline.sms.neutral_sender.clone(),
            ),
        };
        let enqueue = Enqueue {
            id: id.to_owned(),
            priority,
            helpline: helpline.id.clone(),
            provider: provider.as_str().into(),
            fallback: helpline.sms.fallback.map(|p| p.as_str().into()),
            to: self.opener.seal(to.as_str().as_bytes(), id.as_bytes()),
            body: self.opener.seal(text.as_bytes(), id.as_bytes()),
            due_ms: self.clock.now_ms(),
            owner,
            sender,
        };
        let queued = self.store.outbox().enqueue(&enqueue, self.keep()).await?;
        if queued == Queued::Unreplicated {
            self.metrics.unreplicated("queued");
        }
        Ok(queued != Queued::Already)
    }
}
