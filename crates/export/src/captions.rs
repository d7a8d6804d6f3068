//! Captions beside an export (`.srt` and `.vtt`), timed to the audio: with voice-over, one cue
//! per spoken line, from its first sample to its last (the timeline's `voice` lines); without
//! it, one cue per message, as long as the message is the newest on screen (see [`crate::srt`]).
//! A cue shows what is said: the message's `spokenText` when it has one, else its text.

use chatframe_model::{MS, Micros, Project, Timeline};

/// One caption: shown over `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub start: Micros,
    pub end: Micros,
    pub text: String,
}

/// The cues of `timeline`: its voice lines when it has any, else one per message.
pub fn caption_cues(project: &Project, timeline: &Timeline) -> Vec<Cue> {
    if timeline.voice.is_empty() {
        return crate::srt::message_cues(project, timeline);
    }
    timeline
        .voice
        .iter()
        .filter_map(|line| {
            let m = project.messages.get(line.index)?;
            let said = m.spoken_text.as_deref().unwrap_or(&m.text);
            let text = clean(said);
            (!text.is_empty()).then(|| Cue { start: line.at, end: line.end(), text })
        })
        .collect()
}

/// A blank line ends a cue early in both formats; keep the lines, drop the blank ones.
pub(crate) fn clean(text: &str) -> String {
    text.trim().lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// SubRip: numbered cues, `HH:MM:SS,mmm`.
pub fn to_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (n, c) in cues.iter().enumerate() {
        out.push_str(&format!("{}\n{} --> {}\n{}\n\n", n + 1, stamp(c.start, ','), stamp(c.end, ','), c.text));
    }
    out
}

/// WebVTT: a header, then cues with `HH:MM:SS.mmm`. `-->` inside text would end a cue's
/// timing line, so it is escaped like HTML.
pub fn to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in cues {
        let text = c.text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        out.push_str(&format!("{} --> {}\n{text}\n\n", stamp(c.start, '.'), stamp(c.end, '.')));
    }
    out
}

/// Milliseconds, rounded down like every player reads them.
pub(crate) fn stamp(t: Micros, sep: char) -> String {
    let ms = t / MS;
    format!("{:02}:{:02}:{:02}{sep}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatframe_model::VoiceLine;

    #[test]
    fn voice_lines_become_cues_and_both_formats_agree() {
        let mut p = chatframe_model::starter_project("t");
        p.messages[1].spoken_text = Some("are you up".into());
        let mut tl = Timeline::build(&p);
        tl.voice = vec![
            VoiceLine { index: 1, at: 1_500_000, length: 1_234_567, gain: 1.0 },
            VoiceLine { index: 2, at: 3_723_456_000, length: 10_000, gain: 1.0 },
        ];
        let cues = caption_cues(&p, &tl);
        assert_eq!(cues.len(), 2);
        assert_eq!((cues[0].start, cues[0].end, cues[0].text.as_str()), (1_500_000, 2_734_567, "are you up"));
        let srt = to_srt(&cues);
        assert!(srt.starts_with("1\n00:00:01,500 --> 00:00:02,734\nare you up\n\n2\n01:02:03,456 --> "), "{srt}");
        let vtt = to_vtt(&cues);
        assert!(vtt.starts_with("WEBVTT\n\n00:00:01.500 --> 00:00:02.734\nare you up\n\n01:02:03.456"), "{vtt}");
        assert_eq!(
            to_vtt(&[Cue { start: 0, end: 1, text: "a --> <b>".into() }]).lines().nth(3),
            Some("a --&gt; &lt;b&gt;")
        );
    }
}
