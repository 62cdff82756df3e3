//! `[console]` in salama.toml: where the accounts live, how long a sign-in lasts, the reports'
//! smallest shown count, and the simulator's marked range of test numbers.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSettings {
    /// The accounts file (`salama users add`); relative to the config file's folder.
    pub users_file: PathBuf,
    /// A sign-in lasts this long without use; sessions are kept in memory, so a restart also
    /// signs everyone out.
    pub session_minutes: u64,
    /// Failed sign-ins allowed per user name and per address within `lockout_minutes`.
    pub max_failed_logins: u32,
    pub lockout_minutes: u64,
    /// Report cells with fewer cases than this are shown as "<N" (small counts can name her).
    pub report_min_cell: usize,
    /// Cookies marked `Secure` (HTTPS only). Unset: on, unless the gateway listens on loopback
    /// (the demo at http://127.0.0.1).
    pub secure_cookies: Option<bool>,
    /// The simulator's numbers: every number that starts with this is a test number. The
    /// engine opens no case and queues no SMS for one. Unset: the simulator is off. Pick a
    /// block no survivor can have (a SIM range the helpline holds, confirmed with the operator).
    pub test_numbers: Option<String>,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        ConsoleSettings {
            users_file: "users.toml".into(),
            session_minutes: 8 * 60,
            max_failed_logins: 5,
            lockout_minutes: 15,
            report_min_cell: 5,
            secure_cookies: None,
            test_numbers: None,
        }
    }
}

impl ConsoleSettings {
    /// What is wrong with the settings, if anything.
    pub fn check(&self) -> Result<(), String> {
        if let Some(prefix) = &self.test_numbers {
            let digits = prefix.strip_prefix('+').unwrap_or("");
            if digits.len() < 6 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
                return Err("console.test_numbers must be + and 6 to 12 digits, such as +254700999".into());
            }
        }
        if self.session_minutes == 0 || self.max_failed_logins == 0 {
            return Err("console.session_minutes and console.max_failed_logins must be at least 1".into());
        }
        Ok(())
    }
}
