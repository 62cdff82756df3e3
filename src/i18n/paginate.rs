//! Splits a screen that is too long for one USSD message into pages.
//!
//! Every page but the last ends with the "98 More" line; every page that keeps the session open
//! ends with a status line (the footer, or the hint after an invalid input), so both variants are
//! measured. Options are never split across a line; body text breaks at line ends, and at spaces
//! only when a line cannot sit on a page of its own.

use super::gsm::Cost;
#[cfg(test)]
use super::gsm::screen_cost;

/// What a page must leave room for.
pub struct Layout<'a> {
    /// Screen limit in GSM-7 characters.
    pub limit: usize,
    /// The "98 More" line.
    pub more: &'a str,
    /// The lines a page that keeps the session open may end with; each must fit.
    pub status: [&'a str; 2],
}

/// Pages of one screen, each without its status line (the caller adds the variant it shows).
///
/// `ends`: the screen ends the session, so its last page carries no status line.
pub fn paginate(body: &str, options: &[String], layout: &Layout, ends: bool) -> Result<Vec<String>, String> {
    let newline = Cost::of("\n");
    let (more, status) = (Cost::of(layout.more), layout.status.map(Cost::of));
    // Whether lines costing `lines` in all (newlines between them included) make a page.
    let fits_cost = |lines: Cost, last: bool| {
        let page = if last { lines } else { lines + newline + more };
        if ends && last {
            page.screen() <= layout.limit
        } else {
            status.iter().all(|status| (page + newline + *status).screen() <= layout.limit)
        }
    };
    let then = |joined: Option<Cost>, line: Cost| Some(joined.map_or(line, |joined| joined + newline + line));
    let fits = |lines: &[&str], last: bool| {
        fits_cost(lines.iter().fold(None, |joined, l| then(joined, Cost::of(l))).unwrap_or(Cost::ZERO), last)
    };

    let mut lines: Vec<String> = Vec::new();
    for line in body.lines().map(str::to_owned).chain(options.iter().cloned()) {
        if fits(&[&line], false) {
            lines.push(line);
        } else {
            lines.extend(wrap(&line, |l| fits(&[l], false))?);
        }
    }
    let costs: Vec<Cost> = lines.iter().map(|l| Cost::of(l)).collect();

    let mut pages = Vec::new();
    let (mut current, mut current_cost): (Vec<&str>, Option<Cost>) = (Vec::new(), None);
    let mut next = 0;
    while next < lines.len() {
        let rest = costs[next..].iter().fold(current_cost, |joined, c| then(joined, *c));
        if fits_cost(rest.unwrap_or(Cost::ZERO), true) {
            current.extend(lines[next..].iter().map(String::as_str));
            break;
        }
        let candidate = then(current_cost, costs[next]);
        if fits_cost(candidate.unwrap_or(Cost::ZERO), false) {
            current.push(&lines[next]);
            current_cost = candidate;
            next += 1;
        } else {
            pages.push(page_text(&current, Some(layout.more)));
            current.clear();
            current_cost = None;
        }
    }
    pages.push(page_text(&current, None));
    let last = pages.len() - 1;
    if let Some(page) = pages.last_mut() {
        // The loop only ends early once the rest fits as a last page; this catches a last page
        // reached by running out of lines.
        let lines: Vec<&str> = page.lines().collect();
        if !fits(&lines, true) {
            return Err(format!("page {} of {} does not fit in {} characters", last + 1, last + 1, layout.limit));
        }
    }
    Ok(pages)
}

fn page_text(lines: &[&str], more: Option<&str>) -> String {
    let mut text = lines.join("\n");
    if let Some(more) = more {
        text.push('\n');
        text.push_str(more);
    }
    text
}

/// Breaks one long line into lines that each pass `fits`: at sentence ends where it can, so a
/// page does not stop mid-sentence, and at spaces inside a sentence too long for a page.
fn wrap(line: &str, fits: impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for sentence in sentences(line) {
        let pieces = if fits(sentence) { vec![sentence.to_owned()] } else { wrap_words(sentence, &fits)? };
        for piece in pieces {
            let candidate = if current.is_empty() { piece.clone() } else { format!("{current} {piece}") };
            if fits(&candidate) {
                current = candidate;
            } else {
                out.push(std::mem::replace(&mut current, piece));
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// A line cut after each `.`, `?`, `!` or `:` that a space follows.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in line.char_indices() {
        let end = at + c.len_utf8();
        if ".?!:".contains(c) && line[end..].starts_with(' ') {
            out.push(line[start..end].trim());
            start = end;
        }
    }
    out.push(line[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

fn wrap_words(sentence: &str, fits: &impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in sentence.split(' ').filter(|w| !w.is_empty()) {
        if !fits(word) {
            return Err(format!("the word {word:?} cannot fit on a page"));
        }
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if fits(&candidate) {
            current = candidate;
        } else {
            out.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LAYOUT: Layout = Layout { limit: 60, more: "98 More", status: ["0 Back 00 Exit", "Invalid choice"] };

    fn options(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("{i}. Option number {i}")).collect()
    }

    #[test]
    fn a_short_screen_is_one_page() {
        let pages = paginate("Hello", &options(2), &LAYOUT, false).unwrap();
        assert_eq!(pages, vec!["Hello\n1. Option number 1\n2. Option number 2"]);
    }

    #[test]
    fn a_long_menu_pages_with_more_and_keeps_every_option_whole() {
        let pages = paginate("Choose", &options(7), &LAYOUT, false).unwrap();
        assert!(pages.len() > 1);
        for page in &pages[..pages.len() - 1] {
            assert!(page.ends_with("\n98 More"), "{page}");
        }
        let all = pages.join("\n");
        for option in options(7) {
            assert!(all.lines().any(|l| l == option), "{option} missing");
        }
    }

    #[test]
    fn long_text_breaks_at_sentence_ends_when_it_can() {
        let body = "First sentence is here. Second one is a little longer than that. Third.";
        let pages = paginate(body, &[], &LAYOUT, false).unwrap();
        assert!(pages[0].starts_with("First sentence is here."), "{pages:?}");
        assert!(pages.iter().any(|p| p.starts_with("Second one")), "{pages:?}");
    }

    #[test]
    fn a_word_longer_than_a_page_is_an_error() {
        let long = "x".repeat(80);
        assert!(paginate(&long, &[], &LAYOUT, false).is_err());
    }

    proptest! {
        #[test]
        fn every_page_fits_with_either_status_line(body in "[a-z ,.]{0,400}", n in 0usize..12, ends: bool) {
            if let Ok(pages) = paginate(&body, &options(n), &LAYOUT, ends) {
                let last = pages.len() - 1;
                for (i, page) in pages.iter().enumerate() {
                    if ends && i == last {
                        prop_assert!(screen_cost(page) <= LAYOUT.limit);
                    } else {
                        for status in LAYOUT.status {
                            prop_assert!(screen_cost(&format!("{page}\n{status}")) <= LAYOUT.limit, "{page}");
                        }
                    }
                }
                let words: Vec<&str> = body.split_whitespace().collect();
                let paged: Vec<&str> = pages.iter().flat_map(|p| p.split_whitespace()).filter(|w| *w != "98" && *w != "More").collect();
                prop_assert!(words.iter().all(|w| paged.contains(w)));
            }
        }
    }
}
