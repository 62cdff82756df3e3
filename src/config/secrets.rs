//! The one list of secret settings: the core's three, then each provider's (its `Entry` in
//! `channels::registry` names them). The loader refuses a file that holds any of them, and a
//! test keeps the README's secrets table and `.env.example` naming every variable.
//!
//! Secrets are `SecretString`s once read: `Debug` prints `[REDACTED]`, and reading one takes
//! an explicit `expose_secret()`.

use std::path::Path;

use crate::channels::registry::KNOWN;

/// The secrets outside `[channels]`.
const CORE: [&str; 3] = ["privacy.pseudonym_secret", "privacy.encryption_keys", "admin.token"];

/// One secret setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Where it would sit in the file: `channels.twilio.auth_token`.
    pub key: String,
}

impl Secret {
    /// The environment variable that gives it: `SALAMA__CHANNELS__TWILIO__AUTH_TOKEN`.
    pub fn variable(&self) -> String {
        format!("SALAMA__{}", self.key.replace('.', "__").to_uppercase())
    }
}

/// Every secret setting, core first, then the providers' in registry order.
pub fn all() -> Vec<Secret> {
    let providers =
        KNOWN.iter().flat_map(|entry| entry.secrets.iter().map(move |key| format!("channels.{}.{key}", entry.name)));
    CORE.iter().map(|key| key.to_string()).chain(providers).map(|key| Secret { key }).collect()
}

/// Secrets belong in the environment; a file that holds one is refused before anything else.
pub fn refuse_in_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    match all().into_iter().find(|secret| has_key(&table, &secret.key)) {
        Some(secret) => Err(format!(
            "{} is a secret: remove it from the file and set {} in the environment",
            secret.key,
            secret.variable()
        )),
        None => Ok(()),
    }
}

fn has_key(table: &toml::Table, dotted: &str) -> bool {
    let (parents, last) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut current = table;
    for part in parents.split('.').filter(|p| !p.is_empty()) {
        match current.get(part).and_then(toml::Value::as_table) {
            Some(inner) => current = inner,
            None => return false,
        }
    }
    current.contains_key(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_secret_once_with_its_variable() {
        let variables: Vec<String> = all().iter().map(Secret::variable).collect();
        assert!(variables.contains(&"SALAMA__PRIVACY__PSEUDONYM_SECRET".to_string()));
        assert!(variables.contains(&"SALAMA__CHANNELS__TWILIO__AUTH_TOKEN".to_string()));
        assert!(variables.contains(&"SALAMA__CHANNELS__INFOBIP__TOKEN".to_string()));
        let mut unique = variables.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), variables.len());
    }

    /// The docs a deployer reads name every secret the loader knows.
    #[test]
    fn the_readme_and_the_env_example_name_every_secret() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in ["README.md", ".env.example"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            for secret in all() {
                assert!(text.contains(&secret.variable()), "{file} does not name {}", secret.variable());
            }
        }
    }
}
