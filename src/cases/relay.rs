//! Her SMS while a counsellor holds her case: relayed to that counsellor, code in front.

use fluent_bundle::FluentArgs;

use super::Cases;
use super::actions::change;
use crate::escalation::case::{Case, State};
use crate::helpline::Helpline;
use crate::store::{StoreError, Timer};

impl Cases {
    /// Her open case on a helpline, if any (one look-up for each of her SMS).
    pub(crate) async fn her_case(&self, helpline: &Helpline, pseudonym: &str) -> Result<Option<Case>, StoreError> {
        match self.store.cases().open_for(pseudonym, &helpline.id).await? {
            Some(id) => self.case(&id).await,
            None => Ok(None),
        }
    }

    /// Relays her SMS when a counsellor holds her case; returns whether it was relayed. Writing
    /// again after her quick exit opens the relay again.
    pub(crate) async fn relay_to_counsellor(
        &self,
        helpline: &Helpline,
        case: Option<&Case>,
        text: &str,
        relay_id: &str,
    ) -> Result<bool, StoreError> {
        let Some(case) = case.filter(|c| c.state == State::Acknowledged) else { return Ok(false) };
        if case.left {
            let log = self.log_line("she wrote again after her quick exit");
            self.store.cases().write(&change(case, vec![("left", b"no".to_vec())], Timer::Keep, log)).await?;
        }
        let Some(c) = self.rota.by_id(&case.assigned) else { return Ok(false) };
        let Some(phone) = self.rota.counsellors[c].phone.clone() else { return Ok(false) };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("text", text.to_owned());
        let relay = self.say(&self.counsellor_locale(c), "relay-from-survivor", &args);
        self.enqueue(helpline, &format!("relay-{relay_id}"), &phone, &relay).await?;
        self.log_case(case, "she wrote to the counsellor").await?;
        Ok(true)
    }
}
