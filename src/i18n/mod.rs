//! Locales: Fluent messages from `locales/<lang>/*.ftl`, each locale's fallback chain, and the
//! GSM-7 rules and pagination that turn a message into USSD screens.
//!
//! A locale folder may hold a `locale.toml`:
//!
//! ```toml
//! fallback = "fr"                 # messages missing here are taken from this locale
//! review = "needs a native speaker" # shown by `salama check` until someone has reviewed it
//! [transliterate]                 # this locale's own GSM-7 replacements
//! "ç" = "Ç"
//! ```
//!
//! Fluent's own fallback goes straight to one default language, so `fon -> fr` is walked here.

pub mod gsm;
pub mod paginate;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::Deserialize;
use unic_langid::LanguageIdentifier;

/// Every locale found under the locales folder.
pub struct Catalog {
    locales: BTreeMap<String, Locale>,
}

struct Locale {
    bundle: FluentBundle<FluentResource>,
    meta: LocaleMeta,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LocaleMeta {
    fallback: Option<String>,
    review: Option<String>,
    #[serde(default)]
    transliterate: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("cannot read {path}: {source}; check locales_dir in the config")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("message {id:?} in locale {locale:?}: {reason}")]
    Format { locale: String, id: String, reason: String },
}

impl Catalog {
    /// Loads every `<dir>/<lang>/` folder.
    pub fn load(dir: &Path) -> Result<Self, I18nError> {
        let read_err = |path: &Path| {
            let path = path.to_owned();
            move |source| I18nError::Read { path, source }
        };
        let mut locales = BTreeMap::new();
        let mut entries: Vec<_> =
            fs::read_dir(dir).map_err(read_err(dir))?.collect::<Result<_, _>>().map_err(read_err(dir))?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                let code = entry.file_name().to_string_lossy().into_owned();
                locales.insert(code.clone(), Locale::load(&code, &path)?);
            }
        }
        let catalog = Catalog { locales };
        for (code, locale) in &catalog.locales {
            if let Some(fallback) = &locale.meta.fallback
                && !catalog.locales.contains_key(fallback)
            {
                return Err(I18nError::Invalid {
                    path: dir.join(code).join("locale.toml"),
                    reason: format!("fallback {fallback:?} is not a locale folder"),
                });
            }
        }
        Ok(catalog)
    }

    pub fn has(&self, locale: &str) -> bool {
        self.locales.contains_key(locale)
    }

    /// Locales whose `locale.toml` says they still need review, with the reason.
    pub fn needing_review(&self) -> impl Iterator<Item = (&str, &str)> {
        self.locales.iter().filter_map(|(code, l)| Some((code.as_str(), l.meta.review.as_deref()?)))
    }

    /// `locale`, then its fallbacks in order.
    pub fn chain<'a>(&'a self, locale: &'a str) -> Vec<&'a str> {
        let mut chain = vec![locale];
        while let Some(next) =
            self.locales.get(*chain.last().unwrap_or(&locale)).and_then(|l| l.meta.fallback.as_deref())
        {
            if chain.contains(&next) {
                break; // a cycle: stop rather than loop
            }
            chain.push(next);
        }
        chain
    }

    /// The message `id` in `locale` or the first of its fallbacks that has it; `Ok(None)` when
    /// none has it.
    pub fn format(&self, locale: &str, id: &str, args: &FluentArgs) -> Result<Option<String>, I18nError> {
        for code in self.chain(locale) {
            let Some(bundle) = self.locales.get(code).map(|l| &l.bundle) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(args), &mut errors).into_owned();
            if let Some(error) = errors.first() {
                return Err(I18nError::Format {
                    locale: code.to_owned(),
                    id: id.to_owned(),
                    reason: error.to_string(),
                });
            }
            return Ok(Some(text));
        }
        Ok(None)
    }

    /// A message built at run time (a page, a command's answer): in `locale` walking its
    /// fallbacks, else in English, else its id, so a missing message shows which one it is.
    pub fn say(&self, locale: &str, id: &str, args: &FluentArgs) -> String {
        match self.format(locale, id, args) {
            Ok(Some(text)) => text,
            _ => self.format("en", id, args).ok().flatten().unwrap_or_else(|| id.to_owned()),
        }
    }

    /// Text made fit for GSM-7 with the locale's own replacements, then the shared ones.
    pub fn transliterate(&self, locale: &str, text: &str) -> String {
        let extra: Vec<(char, String)> = self
            .locales
            .get(locale)
            .map(|l| {
                l.meta.transliterate.iter().filter_map(|(from, to)| Some((from.chars().next()?, to.clone()))).collect()
            })
            .unwrap_or_default();
        gsm::transliterate(text, &extra)
    }
}

impl Locale {
    fn load(code: &str, dir: &Path) -> Result<Self, I18nError> {
        let lang: LanguageIdentifier = code
            .parse()
            .map_err(|e| I18nError::Invalid { path: dir.to_owned(), reason: format!("not a language code: {e}") })?;
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        // Unicode isolation marks around placeables are not GSM-7 and show as junk on basic phones.
        bundle.set_use_isolating(false);
        let mut files: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|source| I18nError::Read { path: dir.to_owned(), source })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for path in files {
            let source = fs::read_to_string(&path).map_err(|source| I18nError::Read { path: path.clone(), source })?;
            let resource = FluentResource::try_new(source).map_err(|(_, errors)| I18nError::Invalid {
                path: path.clone(),
                reason: format!("Fluent syntax: {errors:?}"),
            })?;
            bundle.add_resource(resource).map_err(|errors| I18nError::Invalid {
                path: path.clone(),
                reason: format!("message defined twice: {errors:?}"),
            })?;
        }
        let meta_path = dir.join("locale.toml");
        let meta = match fs::read_to_string(&meta_path) {
            Ok(text) => {
                toml::from_str(&text).map_err(|e| I18nError::Invalid { path: meta_path, reason: e.to_string() })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => LocaleMeta::default(),
            Err(source) => {
                return Err(I18nError::Read { path: meta_path, source });
            }
        };
        Ok(Locale { bundle, meta })
    }
}
