//! SRT subtitles: one cue per message, shown from the moment its bubble appears until the next
//! one does, so captions follow the conversation for viewers watching muted.

use chatframe_model::{MessageKind, Micros, Project, Timeline};

use crate::captions::Cue;

pub fn srt(project: &Project, timeline: &Timeline) -> String {
    crate::captions::to_srt(&message_cues(project, timeline))
}

/// One cue per message, from its appearance to the next one's.
pub(crate) fn message_cues(project: &Project, timeline: &Timeline) -> Vec<Cue> {
    let mut out = Vec::new();
    let end_of_video = frame_end(timeline);
    for (i, e) in timeline.entries.iter().enumerate() {
        let m = &project.messages[e.index];
        let sender = m.sender.as_deref().and_then(|s| project.participants.iter().find(|p| p.id == s));
        let body = match m.kind {
            MessageKind::Image if m.text.trim().is_empty() => "[Photo]".to_string(),
            MessageKind::Image => format!("[Photo] {}", m.text.trim()),
            MessageKind::VoiceNote => "[Voice message]".to_string(),
            _ => m.text.trim().to_string(),
        };
        // A blank line ends an SRT cue early; collapse the message's own blank lines.
        let body: Vec<&str> = body.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
        if body.is_empty() {
            continue;
        }
        let text = match sender {
            Some(p) if m.kind.has_sender() => format!("{}: {}", p.name, body.join("\n")),
            _ => body.join("\n"),
        };
        let start = e.appear.min(end_of_video);
        let end = timeline.entries.get(i + 1).map_or(end_of_video, |next| next.appear).min(end_of_video);
        if end <= start {
            continue;
        }
        out.push(Cue { start, end, text });
    }
    out
}

/// End of the last frame: the video's true length, which may exceed the timeline by < 1 frame.
fn frame_end(timeline: &Timeline) -> Micros {
    timeline.frame_time(timeline.frame_count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::stamp as stamp_with;

    fn stamp(t: Micros) -> String {
        stamp_with(t, ',')
    }

    #[test]
    fn one_cue_per_message_in_order() {
        let p = chatframe_model::starter_project("t");
        let tl = Timeline::build(&p);
        let s = srt(&p, &tl);
        let cues: Vec<&str> = s.split("\n\n").filter(|c| !c.is_empty()).collect();
        assert_eq!(cues.len(), p.messages.len());
        assert!(cues[1].starts_with("2\n") && cues[1].contains("Sam: Are you still up?"), "{}", cues[1]);
        assert!(cues[0].ends_with("\nToday 9:41 AM"), "a date line has no sender: {}", cues[0]);
        let last = cues.last().unwrap();
        assert!(last.contains(&stamp(frame_end(&tl))), "{last}");
        assert_eq!(stamp(3_723_456_000), "01:02:03,456");
    }
}
