//! Rendering a node's text for every offered locale: USSD pages (paginated, the options of a menu
//! kept together on one page), SMS texts, and the language screens.

use super::{Compiler, FlowError};
use crate::flow::{Page, checks};
use crate::i18n::gsm;
use crate::i18n::paginate::{Layout, paginate};

impl Compiler<'_> {
    pub(super) fn pages_per_locale(
        &self,
        node: &str,
        text: &str,
        labels: &[&str],
        end: bool,
    ) -> Result<Vec<Vec<Page>>, FlowError> {
        self.file
            .locales
            .iter()
            .map(|locale| {
                let body = self.message(node, locale, text)?;
                let options = labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| Ok(format!("{}. {}", i + 1, self.message(node, locale, label)?)))
                    .collect::<Result<Vec<_>, FlowError>>()?;
                self.layout(node, locale, &body, &options, end)
            })
            .collect()
    }

    /// A screen as one SMS per locale: the text, the numbered options, and (unless it ends the
    /// conversation) how to answer. SMS need no pages: the provider joins long ones.
    pub(super) fn sms_per_locale(
        &self,
        node: &str,
        text: &str,
        labels: &[&str],
        end: bool,
    ) -> Result<Vec<String>, FlowError> {
        self.file
            .locales
            .iter()
            .map(|locale| {
                let mut lines = vec![self.sms_message(node, locale, text)?];
                for (i, label) in labels.iter().enumerate() {
                    lines.push(format!("{}. {}", i + 1, self.sms_message(node, locale, label)?));
                }
                if !end {
                    lines.push(self.sms_message(node, locale, "sms-footer")?);
                }
                Ok(lines.join("\n"))
            })
            .collect()
    }

    /// The language screen reads the same in every locale: the prompt in each offered language,
    /// then each language named in itself.
    pub(super) fn language_screens(&self, node: &str, text: &str) -> Result<(Vec<Vec<Page>>, Vec<String>), FlowError> {
        let (body, options) = self.language_text(text, &|locale, id| self.message(node, locale, id))?;
        let pages = self
            .file
            .locales
            .iter()
            .map(|locale| self.layout(node, locale, &body, &options, false))
            .collect::<Result<_, _>>()?;
        let (body, options) = self.language_text(text, &|locale, id| self.sms_message(node, locale, id))?;
        let sms = self
            .file
            .locales
            .iter()
            .map(|locale| {
                Ok(format!("{body}\n{}\n{}", options.join("\n"), self.sms_message(node, locale, "sms-footer")?))
            })
            .collect::<Result<_, FlowError>>()?;
        Ok((pages, sms))
    }

    pub(super) fn language_text(
        &self,
        text: &str,
        message: &dyn Fn(&str, &str) -> Result<String, FlowError>,
    ) -> Result<(String, Vec<String>), FlowError> {
        let mut prompts: Vec<String> = Vec::new();
        for locale in &self.file.locales {
            let prompt = message(locale, text)?;
            if !prompts.contains(&prompt) {
                prompts.push(prompt);
            }
        }
        let options = self
            .file
            .locales
            .iter()
            .enumerate()
            .map(|(i, locale)| Ok(format!("{}. {}", i + 1, message(locale, "language-name")?)))
            .collect::<Result<Vec<_>, FlowError>>()?;
        Ok((prompts.join(" / "), options))
    }

    pub(super) fn layout(
        &self,
        node: &str,
        locale: &str,
        body: &str,
        options: &[String],
        end: bool,
    ) -> Result<Vec<Page>, FlowError> {
        let more = self.message(node, locale, "nav-more")?;
        let footer = self.message(node, locale, "nav-footer")?;
        let hint = self.message(node, locale, "hint-invalid")?;
        let layout = Layout { limit: self.presentation.screen_limit, more: &more, status: [&footer, &hint] };
        let cannot_fit = |reason: String| {
            (self.fail)(Some(node), format!("in locale {locale:?}, the screen cannot fit after pagination: {reason}"))
        };
        let mut pages = paginate(body, options, &layout, end).map_err(cannot_fit)?;
        if options_split(&pages, options.len()) {
            // The options go together on a page of their own, after the text's pages.
            let status = [format!("{more}\n{footer}"), format!("{more}\n{hint}")];
            let text_layout = Layout { status: [&status[0], &status[1]], ..layout };
            pages = paginate(body, &[], &text_layout, false).map_err(cannot_fit)?;
            for page in &mut pages {
                if !page.ends_with(more.as_str()) {
                    page.push('\n');
                    page.push_str(&more);
                }
            }
            pages.extend(paginate("", options, &layout, end).map_err(cannot_fit)?);
        }
        let last = pages.len() - 1;
        let pages: Vec<Page> = pages
            .into_iter()
            .enumerate()
            .map(|(i, page)| {
                if end && i == last {
                    Page { shown: page.clone(), hinted: page, end: true }
                } else {
                    Page { shown: format!("{page}\n{footer}"), hinted: format!("{page}\n{hint}"), end: false }
                }
            })
            .collect();
        checks::exit_shown(self.fail, node, locale, &pages)?;
        Ok(pages)
    }

    /// One END screen per locale that must fit on a single page.
    pub(super) fn single_screens(&self, id: &str) -> Result<Vec<String>, FlowError> {
        self.file
            .locales
            .iter()
            .map(|locale| {
                let text = self.message(id, locale, id)?;
                if gsm::screen_cost(&text) > self.presentation.screen_limit {
                    return Err((self.fail)(None, format!("message `{id}` in {locale:?} is longer than one screen")));
                }
                Ok(text)
            })
            .collect()
    }
}

/// Whether the numbered option lines of a screen fall on more than one page.
fn options_split(pages: &[String], options: usize) -> bool {
    let on = |page: &String| page.lines().any(|l| l.split_once(". ").is_some_and(|(n, _)| n.parse::<usize>().is_ok()));
    options > 0 && pages.iter().filter(|p| on(p)).count() > 1
}
