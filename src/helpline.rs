//! The helplines this gateway serves, each with its compiled flow, found by service code.

use std::collections::HashMap;
use std::time::Duration;

use crate::channels::ProviderName;
use crate::config::Settings;
use crate::flow::Flow;
use crate::flow::compile::{FlowError, Presentation, compile};
use crate::i18n::{Catalog, I18nError};

pub struct Helpline {
    pub id: String,
    pub flow: Flow,
    pub sms: SmsOptions,
    pub time_zone: chrono_tz::Tz,
    /// Numbers for messages built at run time (pages, the unanswered-case SMS).
    pub contacts: std::collections::BTreeMap<String, String>,
}

impl Helpline {
    /// The contacts as Fluent variables, with `extra` added.
    pub fn contacts_args(&self, extra: &[(&str, String)]) -> fluent_bundle::FluentArgs<'static> {
        let mut args = fluent_bundle::FluentArgs::new();
        for (k, v) in &self.contacts {
            args.set(k.clone(), v.clone());
        }
        for (k, v) in extra {
            args.set(k.to_string(), v.clone());
        }
        args
    }
}

/// How a helpline answers SMS.
pub struct SmsOptions {
    pub provider: Option<ProviderName>,
    pub fallback: Option<ProviderName>,
    /// Upper-case keyword and the locale (an index into the flow's) it starts the flow in.
    pub keywords: Vec<(String, u8)>,
    pub session_ttl: Duration,
    pub max_segments: usize,
    /// Sender name for SMS to survivors (neutral mode); none: the provider's configured one.
    pub neutral_sender: Option<String>,
    /// The first SMS of a conversation names neither violence nor the helpline.
    pub neutral_first: bool,
    /// The number her answers go to, named in the first SMS because she cannot answer the
    /// sender (an alphanumeric one on a network without replies); `None`: "Reply" works.
    pub reply_to: Option<String>,
    /// Per-locale words that end the conversation at once (quick exit).
    pub exit_words: Vec<String>,
    /// Per-locale words that erase everything kept for the number.
    pub erase_words: Vec<String>,
}

impl SmsOptions {
    fn is_one_of(words: &[String], text: &str) -> bool {
        let text = text.trim().to_uppercase();
        words.contains(&text)
    }

    pub fn is_exit(&self, text: &str) -> bool {
        text.trim() == crate::flow::step::QUICK_EXIT || Self::is_one_of(&self.exit_words, text)
    }

    pub fn is_erase(&self, text: &str) -> bool {
        Self::is_one_of(&self.erase_words, text)
    }
}

impl SmsOptions {
    /// The locale a first message's keyword asks for: its first word, in any case.
    pub fn keyword_locale(&self, text: &str) -> Option<u8> {
        let word = text.split_whitespace().next()?.to_uppercase();
        self.keywords.iter().find(|(k, _)| *k == word).map(|(_, l)| *l)
    }
}

/// The number to name in the first SMS when the sender cannot take her answer: an alphanumeric
/// sender (letters in it) that the helpline has not said takes replies.
fn reply_to(helpline: &crate::config::HelplineSettings) -> Option<String> {
    let sender = helpline.neutral_sender.as_deref()?;
    let alphanumeric = sender.chars().any(|c| c.is_ascii_alphabetic());
    (alphanumeric && !helpline.neutral_sender_takes_replies).then(|| helpline.sms_numbers.first().cloned()).flatten()
}

pub struct Helplines {
    list: Vec<Helpline>,
    by_service_code: HashMap<String, usize>,
    by_sms_number: HashMap<String, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Locales(#[from] I18nError),
    #[error("helpline {helpline}: {source}")]
    Flow { helpline: String, source: FlowError },
    #[error("helplines.{helpline}.keywords: locale {locale:?} is not one the flow offers")]
    KeywordLocale { helpline: String, locale: String },
    #[error("helplines.{helpline}.time_zone: {zone:?} is not an IANA zone such as Africa/Nairobi")]
    TimeZone { helpline: String, zone: String },
    #[error("helplines.{helpline}.{key}: no provider {name:?} (known: {})", ProviderName::known())]
    Provider { helpline: String, key: &'static str, name: String },
}

impl Helplines {
    /// Loads the locales and compiles every helpline's flow; the first error stops startup.
    pub fn load(settings: &Settings) -> Result<(Helplines, Catalog), LoadError> {
        let catalog = Catalog::load(&settings.locales_dir)?;
        let mut list = Vec::new();
        let mut by_service_code = HashMap::new();
        let mut by_sms_number = HashMap::new();
        for (id, helpline) in &settings.helplines {
            let presentation = Presentation {
                screen_limit: helpline.screen_limit,
                transliterate: helpline.transliterate,
                sms_transliterate: helpline.sms_transliterate,
                contacts: &helpline.contacts,
            };
            let flow = compile(&settings.flow_path(helpline), &catalog, &presentation)
                .map_err(|source| LoadError::Flow { helpline: id.clone(), source })?;
            for code in &helpline.service_codes {
                by_service_code.insert(code.clone(), list.len());
            }
            for number in &helpline.sms_numbers {
                by_sms_number.insert(number.clone(), list.len());
            }
            let mut keywords = Vec::new();
            for (locale, words) in &helpline.keywords {
                let index = flow
                    .locale_index(locale)
                    .ok_or_else(|| LoadError::KeywordLocale { helpline: id.clone(), locale: locale.clone() })?;
                keywords.extend(words.iter().map(|w| (w.trim().to_uppercase(), index)));
            }
            let provider = |key: &'static str, name: &Option<String>| match name {
                None => Ok(None),
                Some(name) => ProviderName::of(name).map(Some).ok_or_else(|| LoadError::Provider {
                    helpline: id.clone(),
                    key,
                    name: name.clone(),
                }),
            };
            let sms = SmsOptions {
                provider: provider("sms_provider", &helpline.sms_provider)?,
                fallback: provider("sms_fallback", &helpline.sms_fallback)?,
                keywords,
                session_ttl: Duration::from_secs(helpline.sms_session_hours * 3600),
                max_segments: helpline.sms_max_segments,
                neutral_sender: helpline.neutral_sender.clone(),
                neutral_first: helpline.neutral_first_sms,
                reply_to: reply_to(helpline),
                exit_words: helpline.exit_keywords.values().flatten().map(|w| w.trim().to_uppercase()).collect(),
                erase_words: helpline.erase_keywords.values().flatten().map(|w| w.trim().to_uppercase()).collect(),
            };
            let time_zone = helpline
                .time_zone
                .parse()
                .map_err(|_| LoadError::TimeZone { helpline: id.clone(), zone: helpline.time_zone.clone() })?;
            list.push(Helpline { id: id.clone(), flow, sms, time_zone, contacts: helpline.contacts.clone() });
        }
        Ok((Helplines { list, by_service_code, by_sms_number }, catalog))
    }

    pub fn by_service_code(&self, code: &str) -> Option<&Helpline> {
        self.by_service_code.get(code.trim()).map(|i| &self.list[*i])
    }

    /// The helpline an SMS sent to `number` belongs to; `+` and spaces do not matter.
    pub fn by_sms_number(&self, number: &str) -> Option<&Helpline> {
        let wanted = number.trim();
        self.by_sms_number
            .get(wanted)
            .or_else(|| {
                let bare = |n: &str| n.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
                self.by_sms_number.iter().find(|(n, _)| bare(n) == bare(wanted)).map(|(_, i)| i)
            })
            .map(|i| &self.list[*i])
    }

    pub fn get(&self, id: &str) -> Option<&Helpline> {
        self.list.iter().find(|h| h.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Helpline> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
