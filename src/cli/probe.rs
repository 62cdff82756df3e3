//! `salama probe`: the container's health check, since the image has no curl.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::config::{Overrides, Settings};

/// Longest wait for the answer; Docker's own timeout is longer.
const TIMEOUT: Duration = Duration::from_secs(3);

/// GETs `url` (by default `/readyz` on the config's bind address) and succeeds on a 2xx answer,
/// printing its body; anything else is an error, so the process exits 1.
pub fn probe(url: Option<String>, config: Option<&Path>) -> anyhow::Result<()> {
    let url = match url {
        Some(url) => url,
        None => format!("http://{}/readyz", reachable(&Settings::load(config, Overrides::default())?.bind)),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (status, body) = runtime
        .block_on(async {
            let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
            let response = client.get(&url).send().await.map_err(reqwest::Error::without_url)?;
            let status = response.status();
            anyhow::Ok((status, response.text().await.unwrap_or_default()))
        })
        .with_context(|| format!("no answer from {url}"))?;
    if !status.is_success() {
        bail!("{url} answered {status}: {}", body.trim());
    }
    println!("{}", body.trim());
    Ok(())
}

/// A bind address as a client reaches it: a wildcard host means this machine.
fn reachable(bind: &str) -> String {
    if let Some(port) = bind.strip_prefix("0.0.0.0:") {
        format!("127.0.0.1:{port}")
    } else if let Some(port) = bind.strip_prefix("[::]:") {
        format!("[::1]:{port}")
    } else {
        bind.to_owned()
    }
}
