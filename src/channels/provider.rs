//! What every provider does, whatever its wire format: the one contract `http` and the outbox
//! rely on. A provider overrides only what differs from the defaults (courier's `BaseHandler`).

use std::future::Future;
use std::pin::Pin;

use super::{ChannelError, DeliveryReport, Outgoing, ProviderName, SendError, SessionEnd, SmsIn, UssdHop};

/// Which of a provider's webhooks a request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// `POST /v1/sms/<name>`: messages in.
    Sms,
    /// `POST /v1/sms/<name>/<delivery_path>`: delivery reports.
    Delivery,
    /// `POST /v1/ussd/<name>`: one USSD screen.
    Ussd,
    /// `POST /v1/ussd/<name>/events`: a USSD session ended.
    UssdEvent,
}

/// A webhook request as the generic handler hands it over: nothing of actix.
pub struct Webhook<'a> {
    pub hook: Hook,
    /// The raw query string: it carries the callback `?token=` (never logged).
    pub query: &'a str,
    /// Its headers, read only by the providers that need one (Twilio's signature): collecting
    /// them for every request cost a USSD hop 1% of its CPU (issue 13).
    pub headers: &'a dyn Headers,
    pub body: &'a [u8],
}

impl Webhook<'_> {
    /// A header's value, if it is text; names compare in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.header(name)
    }
}

/// Where a webhook's headers come from: actix's map in `http`, a list of pairs in tests.
pub trait Headers {
    /// The value of the header `name` (any case), if it is text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl<const N: usize> Headers for [(&str, &str); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }
}

/// What a webhook answers the provider with, on success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub content_type: &'static str,
    pub body: String,
}

impl Answer {
    /// `200 OK` as plain text: what providers that read no answer get.
    pub fn ok() -> Answer {
        Answer { content_type: "text/plain", body: "OK".into() }
    }
}

/// The outbox's send, boxed so providers can sit behind `dyn Provider`.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<String, SendError>> + Send + 'a>>;

/// One SMS provider. Its file implements this in the same order: settings, authenticate,
/// parse SMS, parse delivery reports, render the answer, send.
pub trait Provider: Send + Sync {
    /// Its name in the routes (`/v1/sms/<name>`), in `[channels.<name>]` and in the outbox.
    fn name(&self) -> ProviderName;

    /// Whether it calls Salama's webhooks at all (the console only sends).
    fn has_webhooks(&self) -> bool {
        true
    }

    /// The last segment of its delivery-report route: `/v1/sms/<name>/<this>`.
    fn delivery_path(&self) -> &'static str {
        "delivery"
    }

    /// Refuses a request that does not come from the provider (token or signature).
    fn authenticate(&self, request: &Webhook<'_>) -> Result<(), ChannelError>;

    /// The messages in an inbound request (some providers batch them).
    fn parse_sms(&self, request: &Webhook<'_>) -> Result<Vec<SmsIn>, ChannelError>;

    /// The reports in a delivery-report request.
    fn parse_delivery(&self, request: &Webhook<'_>) -> Result<Vec<DeliveryReport>, ChannelError>;

    /// Answer the webhook with the reply itself instead of queueing it (Twilio's TwiML).
    fn replies_inline(&self) -> bool {
        false
    }

    /// The answer to an SMS or delivery-report request; `reply` only when [`Self::replies_inline`].
    fn render_reply(&self, reply: Option<&str>) -> Answer {
        let _ = reply;
        Answer::ok()
    }

    /// Sends one SMS; the provider's id for it on success.
    fn send<'a>(&'a self, http: &'a reqwest::Client, out: &'a Outgoing<'a>) -> SendFuture<'a>;

    /// Its USSD side, if it has one.
    fn ussd(&self) -> Option<&dyn Ussd> {
        None
    }

    /// On the embedded store, sends every helpline's SMS in place of the provider it names.
    fn stands_in(&self) -> bool {
        false
    }

    /// What `serve` warns about at startup, such as callbacks left unauthenticated.
    fn warnings(&self) -> Vec<&'static str> {
        Vec::new()
    }
}

/// A provider's USSD side: requests are authenticated by [`Provider::authenticate`] first.
pub trait Ussd: Send + Sync {
    /// One screen's request.
    fn parse_hop(&self, request: &Webhook<'_>) -> Result<UssdHop, ChannelError>;

    /// The answer carrying the next screen; `end` closes the session.
    fn render_screen(&self, text: &str, end: bool) -> Answer;

    /// An end-of-session notification.
    fn parse_session_end(&self, request: &Webhook<'_>) -> Result<SessionEnd, ChannelError>;
}
