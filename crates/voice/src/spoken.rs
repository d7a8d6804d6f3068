//! What a message says aloud. The rule (also in docs/FORMAT.md, "Voice-over"):
//!
//! 1. `spokenText`, when the message has one, is spoken as written (only whitespace is
//!    tidied); an empty `spokenText` makes the message silent.
//! 2. Otherwise the message's `text` (a photo's caption) is read the way a person reads a chat
//!    aloud:
//!    - emoji are skipped (a message of only emoji is not spoken at all), including skin tones,
//!      flags, keycaps and joined sequences;
//!    - a link is read as its site: `https://www.youtube.com/watch?v=x` becomes `youtube.com`;
//!    - `@name` is read as `name`;
//!    - repeated punctuation collapses to one mark (`!!!` → `!`, `?!?!` → `?`), except an
//!      ellipsis, which stays `...` (a pause);
//!    - a letter repeated three or more times is cut to two (`sooooo` → `soo`), which engines
//!      otherwise spell out;
//!    - line breaks and runs of spaces become one space.
//! 3. System lines, dates and voice notes are never spoken.

use chatframe_model::{MessageKind, Project};

/// The words message `index` speaks, or `None` when it says nothing (not voiced, or nothing
/// left once emoji are skipped).
pub fn spoken_text_of(project: &Project, index: usize) -> Option<String> {
    let m = project.messages.get(index)?;
    if !project.is_voiced(index) {
        return None;
    }
    let words = match &m.spoken_text {
        Some(s) => collapse_spaces(s),
        None if matches!(m.kind, MessageKind::Text | MessageKind::Image) => spoken_text(&m.text),
        None => String::new(),
    };
    (!words.is_empty()).then_some(words)
}

/// `text` as it is read aloud, by the rule above.
pub fn spoken_text(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().filter_map(spoken_word).collect();
    collapse_spaces(&words.join(" "))
}

fn spoken_word(word: &str) -> Option<String> {
    if let Some(site) = link_site(word) {
        return Some(site);
    }
    let word = word.strip_prefix('@').filter(|w| w.chars().next().is_some_and(char::is_alphanumeric)).unwrap_or(word);
    let mut out = String::with_capacity(word.len());
    let chars: Vec<char> = word.chars().filter(|c| !is_emoji_part(*c)).collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        if is_mark(c) {
            // The whole run of marks ("?!?!", "!!!", "....") collapses.
            let marks: Vec<char> = chars[i..].iter().copied().take_while(|&x| is_mark(x)).collect();
            if marks.len() >= 3 && marks.iter().all(|&x| x == '.') {
                out.push_str("...");
            } else if marks.contains(&'?') {
                out.push('?');
            } else {
                out.push(marks[0]);
            }
            i += marks.len();
            continue;
        }
        if c.is_alphabetic() && run >= 3 {
            out.push(c);
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n(c, run));
        }
        i += run;
    }
    // A word of only punctuation ("?!") is kept for its intonation; an emoji-only word goes.
    (!out.is_empty()).then_some(out)
}

fn is_mark(c: char) -> bool {
    matches!(c, '!' | '?' | '.' | '‽' | '¡' | '¿')
}

/// `https://www.youtube.com/watch?v=x`, `www.example.org/page` → the host without `www.`.
fn link_site(word: &str) -> Option<String> {
    let w = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | ',' | '.'));
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| w.get(..p.len()).filter(|h| h.eq_ignore_ascii_case(p)).map(|_| &w[p.len()..]))
        .or_else(|| w.get(..4).filter(|h| h.eq_ignore_ascii_case("www.")).map(|_| w))?;
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host).to_lowercase();
    (host.contains('.') && !host.starts_with('.')).then_some(host)
}

/// Code points that only draw emoji: pictographs, dingbats, flags, skin tones, the joiner and
/// variation selectors, keycap and tag characters.
fn is_emoji_part(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags (regional indicators), skin tones
        | 0x2600..=0x27BF   // misc symbols and dingbats (☀ ❤ ✨)
        | 0x2B00..=0x2BFF   // arrows and stars (⭐ ⬆)
        | 0x2190..=0x21FF   // arrows
        | 0x2300..=0x23FF   // technical (⌚ ⏰)
        | 0x200D            // zero-width joiner
        | 0xFE0E..=0xFE0F   // variation selectors
        | 0x20E3            // combining keycap
        | 0xE0020..=0xE007F // tag characters (subdivision flags)
    )
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_skipped_and_emoji_only_says_nothing() {
        assert_eq!(spoken_text("lol 😂😂 ok👍🏽"), "lol ok");
        assert_eq!(spoken_text("❤️ 👨‍👩‍👧 🇫🇷 🏴󠁧󠁢󠁳󠁣󠁴󠁿"), "");
        assert_eq!(spoken_text("see you ✨tonight✨"), "see you tonight");
    }

    #[test]
    fn links_are_read_as_their_site() {
        assert_eq!(spoken_text("look https://www.YouTube.com/watch?v=abc!"), "look youtube.com");
        assert_eq!(spoken_text("(www.example.org/a/b)"), "example.org");
        assert_eq!(spoken_text("http://user@host.io:8080/x"), "host.io");
        assert_eq!(spoken_text("a.b is not a link"), "a.b is not a link");
    }

    #[test]
    fn punctuation_and_stretched_letters_collapse() {
        assert_eq!(spoken_text("no way!!!"), "no way!");
        assert_eq!(spoken_text("what?!?!"), "what?");
        assert_eq!(spoken_text("well....."), "well...");
        assert_eq!(spoken_text("sooooo good"), "soo good");
        assert_eq!(spoken_text("@sam\n\n  hi   there"), "sam hi there");
        assert_eq!(spoken_text("call 911 at 10:00"), "call 911 at 10:00");
    }
}
