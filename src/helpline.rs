//! The helplines this gateway serves, each with its compiled flow, found by service code.

use std::collections::HashMap;

use crate::config::Settings;
use crate::flow::Flow;
use crate::flow::compile::{FlowError, Presentation, compile};
use crate::i18n::{Catalog, I18nError};

pub struct Helpline {
    pub id: String,
    pub flow: Flow,
}

pub struct Helplines {
    list: Vec<Helpline>,
    by_service_code: HashMap<String, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Locales(#[from] I18nError),
    #[error("helpline {helpline}: {source}")]
    Flow { helpline: String, source: FlowError },
}

impl Helplines {
    /// Loads the locales and compiles every helpline's flow; the first error stops startup.
    pub fn load(settings: &Settings) -> Result<(Helplines, Catalog), LoadError> {
        let catalog = Catalog::load(&settings.locales_dir)?;
        let mut list = Vec::new();
        let mut by_service_code = HashMap::new();
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
            list.push(Helpline { id: id.clone(), flow });
        }
        Ok((Helplines { list, by_service_code }, catalog))
    }

    pub fn by_service_code(&self, code: &str) -> Option<&Helpline> {
        self.by_service_code.get(code.trim()).map(|i| &self.list[*i])
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
