//! People who sign in to the console: a TOML file of users, each with a role and an argon2
//! password hash, edited with `salama users add|passwd|disable`. The file is read again on every
//! request, so a disabled user is out at their next click, with no restart.
//!
//! ```toml
//! [[users]]
//! name = "wanjiru"
//! role = "supervisor"     # or "viewer"
//! password = "$argon2id$v=19$..."
//! disabled = false
//! ```

use std::io::BufRead;
use std::path::Path;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees every page; no action that changes a case, the outbox or her data.
    Viewer,
    /// Also acts: reassign, close, re-page, retry, reveal her number, erase.
    Supervisor,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// PHC string of an argon2id hash.
    pub password: String,
    #[serde(default)]
    pub disabled: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    #[serde(default)]
    users: Vec<User>,
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// Every user in the file; a missing file has none.
pub fn load(path: &Path) -> anyhow::Result<Vec<User>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            Ok(toml::from_str::<UsersFile>(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?.users)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
    }
}

/// The enabled user of that name.
pub fn find(path: &Path, name: &str) -> Option<User> {
    load(path).ok()?.into_iter().find(|u| u.name == name && !u.disabled)
}

/// Writes the file whole (a temporary file renamed over it), readable by its owner only.
fn save(path: &Path, users: Vec<User>) -> anyhow::Result<()> {
    let text = toml::to_string(&UsersFile { users })?;
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)?;
    #[cfg(unix)]
    std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string())
}

/// Checks a sign-in. An unknown or disabled name costs the same hash as a known one, so the
/// time taken does not tell which names exist.
pub fn verify(path: &Path, name: &str, password: &str) -> Option<User> {
    static DECOY: OnceLock<String> = OnceLock::new();
    let user = find(path, name);
    let phc = match &user {
        Some(u) => u.password.clone(),
        None => DECOY.get_or_init(|| hash("decoy password, never valid").unwrap_or_default()).clone(),
    };
    let ok = PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
    user.filter(|_| ok)
}

#[derive(clap::Subcommand)]
pub enum UsersAction {
    /// Add a user; the password is read from the first line of stdin.
    Add {
        name: String,
        #[arg(long, value_enum, default_value = "viewer")]
        role: Role,
    },
    /// Set a user's password (read from stdin); also enables a disabled user.
    Passwd { name: String },
    /// Disable a user: they are signed out at their next click.
    Disable { name: String },
    /// List the users and their roles.
    List,
}

/// `salama users ...`.
pub fn run(settings: &Settings, action: UsersAction) -> anyhow::Result<()> {
    let path = &settings.console.users_file;
    let mut users = load(path)?;
    let position = |users: &[User], name: &str| users.iter().position(|u| u.name == name);
    match action {
        UsersAction::Add { name, role } => {
            let plain = !name.is_empty() && name.len() <= 40;
            if !plain || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
                anyhow::bail!("a user name is 1-40 characters of a-z A-Z 0-9 - _ .");
            }
            if position(&users, &name).is_some() {
                anyhow::bail!("{name} exists already; `salama users passwd {name}` sets a new password");
            }
            users.push(User { password: hash(&read_password()?)?, name: name.clone(), role, disabled: false });
            println!("added {name} ({role:?}) to {}", path.display());
        }
        UsersAction::Passwd { name } => {
            let i = position(&users, &name).ok_or_else(|| anyhow::anyhow!("no user {name}"))?;
            users[i].password = hash(&read_password()?)?;
            users[i].disabled = false;
            println!("new password set for {name}");
        }
        UsersAction::Disable { name } => {
            let i = position(&users, &name).ok_or_else(|| anyhow::anyhow!("no user {name}"))?;
            users[i].disabled = true;
            println!("{name} is disabled");
        }
        UsersAction::List => {
            for u in &users {
                println!("{}\t{:?}{}", u.name, u.role, if u.disabled { "\tdisabled" } else { "" });
            }
            return Ok(());
        }
    }
    save(path, users)
}

fn read_password() -> anyhow::Result<String> {
    eprintln!("password (at least {MIN_PASSWORD} characters), then Enter:");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < MIN_PASSWORD {
        anyhow::bail!("the password is shorter than {MIN_PASSWORD} characters");
    }
    Ok(password)
}
