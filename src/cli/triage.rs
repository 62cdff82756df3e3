//! `salama triage`: her words read as the gateway reads them, or triage measured on labelled sets.

use std::path::PathBuf;

use anyhow::Context;

use crate::config::Settings;

/// `salama triage`: one JSON object a line, `{"urgency": ..., "reasons": [...]}`; or with
/// `--report`, triage measured on labelled sets.
pub(super) fn run(settings: &Settings, locale: Option<&str>, report: &[PathBuf]) -> anyhow::Result<()> {
    use std::io::{BufRead, Write};
    if let Some(locale) = locale {
        super::known_name("locale", locale, &super::checks::triage_locales(&settings.locales_dir)?)?;
    }
    let triage = crate::escalation::triage::Triage::load(&settings.locales_dir).map_err(anyhow::Error::msg)?;
    let known = |l: &str| -> anyhow::Result<()> {
        if !triage.locales().any(|k| k == l) {
            let locales: Vec<_> = triage.locales().collect();
            anyhow::bail!("no triage lexicon for locale {l:?} (there are: {})", locales.join(", "));
        }
        Ok(())
    };
    if let Some(l) = locale {
        known(l)?;
    }
    if !report.is_empty() {
        return triage_report(&triage, locale, report, known);
    }
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let verdict = triage.classify(&line?, locale);
        let reasons = serde_json::to_string(&verdict.reasons)?;
        if writeln!(out, "{{\"urgency\": \"{}\", \"reasons\": {reasons}}}", verdict.urgency.as_str()).is_err() {
            break; // the reader went away (| head)
        }
    }
    Ok(())
}

fn triage_report(
    triage: &crate::escalation::triage::Triage,
    locale: Option<&str>,
    files: &[PathBuf],
    known: impl Fn(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use crate::escalation::triage::report::{evaluate, read_set};
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let lang = locale.unwrap_or(&stem);
        known(lang).with_context(|| format!("{}: name it <locale>.tsv or give --locale", file.display()))?;
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let set = read_set(&text, lang).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        println!("== {} ({lang}, {} messages) ==", file.display(), set.len());
        for given in [true, false] {
            println!("{}", evaluate(triage, &set, given));
        }
    }
    Ok(())
}
