//! `salama outbox list|retry`: the dead letters on the Redis the gateways share.

use super::OutboxAction;
use crate::config::Settings;
use crate::engine::Gateway;

/// `salama outbox list|retry`: the dead letters, on the Redis the gateways share.
pub(super) fn run(settings: &Settings, action: OutboxAction) -> anyhow::Result<()> {
    if settings.redis.url.is_none() {
        anyhow::bail!(embedded_outbox(&settings.bind));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let gateway = Gateway::from_settings(settings)?;
        match action {
            OutboxAction::List { limit } => {
                let letters = gateway.outbox.dead_letters(limit).await?;
                if letters.is_empty() {
                    println!("no dead letters");
                }
                for l in letters {
                    let at = chrono::DateTime::from_timestamp_millis(l.at_ms as i64)
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default();
                    println!("{}\t{}\t{}\t{} tries\t{}\t{}", l.id, l.helpline, l.provider, l.tries, at, l.error);
                }
            }
            OutboxAction::Retry { id, all } => {
                if id.is_none() && !all {
                    anyhow::bail!("name a message id (from `salama outbox list`) or pass --all");
                }
                let n = gateway.outbox.revive(id.as_deref()).await?;
                println!("{n} message(s) queued again");
            }
        }
        Ok(())
    })
}

/// Without Redis, `serve` keeps its outbox in its own memory: say where to look instead.
fn embedded_outbox(bind: &str) -> String {
    format!(
        "no Redis is set (redis.url, SALAMA__REDIS__URL or --redis), so the outbox is the embedded one.\n\
         It lives inside the running `salama serve`, and this command cannot see it. Look there instead:\n\
         \x20 the console's outbox page: http://{bind}/console/outbox\n\
         \x20 the admin API: curl -H \"Authorization: Bearer $SALAMA__ADMIN__TOKEN\" http://{bind}/v1/admin/outbox\n\
         With Redis, pass --redis <url> to list and retry from here."
    )
}
