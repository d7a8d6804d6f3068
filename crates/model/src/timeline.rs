//! The timeline: when each message types, appears, holds and sounds. Pure and deterministic —
//! the preview, the export and the audio mix all read the same numbers. Times are integer
//! microseconds so nothing drifts over long videos.

use crate::{MessageKind, Project, Side};

/// Microseconds since the start of the video.
pub type Micros = i64;

pub const MS: Micros = 1_000;
pub const SECOND: Micros = 1_000_000;

/// Default delay between a message appearing and a reaction popping onto it.
pub const DEFAULT_REACTION_DELAY_MS: u32 = 800;

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// One entry per message, in document order.
    pub entries: Vec<Entry>,
    pub cues: Vec<SoundCue>,
    /// Spoken voice-over lines, in document order (empty without voice-over).
    pub voice: Vec<VoiceLine>,
    pub duration: Micros,
    pub fps: u32,
}

/// Who is typing before a message, and where it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypingStyle {
    /// The other side: the bouncing-dots bubble.
    Indicator,
    /// The phone owner: text appearing in the input bar.
    InputBar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub index: usize,
    /// Typing span `[start, appear)` when the message is typed on screen.
    pub typing: Option<(Micros, TypingStyle)>,
    /// When the bubble is sent and starts its entrance animation.
    pub appear: Micros,
    /// When the next message may start.
    pub hold_end: Micros,
    /// When each reaction (same order as `Message::reactions`) pops on.
    pub reactions: Vec<Micros>,
}

/// A voice-over line: message `index`'s clip plays from `at` (its bubble's appearance) for
/// `length`, the clip's exact length.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceLine {
    pub index: usize,
    pub at: Micros,
    pub length: Micros,
    /// Linear gain: `audio.voiceVolume` times the speaker's `voice.volume`.
    pub gain: f32,
}

impl VoiceLine {
    pub fn end(&self) -> Micros {
        self.at + self.length
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SoundCue {
    pub at: Micros,
    pub sound: CueSound,
    /// Linear gain, already including the project's sfx volume.
    pub gain: f32,
    /// For sounds with a natural length (typing), how long to play.
    pub length: Option<Micros>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CueSound {
    /// A built-in sound by name (`send`, `receive`, `pop`, `typing`, `ding`, `whoosh`).
    Builtin(&'static str),
    /// An audio file referenced by the project (resolve with [`crate::resolve_media`]).
    File(String),
}

pub const BUILTIN_SOUNDS: [&str; 7] = ["send", "receive", "pop", "typing", "ding", "whoosh", "none"];

pub fn is_builtin_sound(name: &str) -> bool {
    BUILTIN_SOUNDS.contains(&name)
}

/// Lengths of media the timeline waits for (voice notes, voice-over clips); unknown lengths use
/// the auto hold.
pub trait MediaDurations {
    fn duration_ms(&self, media: &str) -> Option<u32>;

    /// Exact length of message `index`'s voice-over clip, when it has one. A message with a clip
    /// is spoken: its bubble appears as the line starts and the next message starts after the
    /// line plus `audio.voiceOver.gapMs`.
    fn voice_clip_us(&self, _index: usize) -> Option<Micros> {
        None
    }
}

/// No media lengths known.
pub struct NoMedia;

impl MediaDurations for NoMedia {
    fn duration_ms(&self, _: &str) -> Option<u32> {
        None
    }
}

impl Timeline {
    pub fn build(project: &Project) -> Timeline {
        Self::build_with(project, &NoMedia)
    }

    pub fn build_with(project: &Project, media: &dyn MediaDurations) -> Timeline {
        let t = &project.timing;
        let ms = |v: u32| Micros::from(v) * MS;
        let side_of = |sender: &Option<String>| {
            sender.as_deref().and_then(|s| project.participants.iter().find(|p| p.id == s)).map(|p| p.side)
        };
        let mut cursor = ms(t.start_delay_ms);
        let mut entries = Vec::with_capacity(project.messages.len());
        let mut cues = Vec::new();
        let mut voice = Vec::new();
        let mut end = cursor;
        // After a spoken line the voice-over gap is the pause; the usual gap would add to it.
        let mut after_line = false;
        for (index, m) in project.messages.iter().enumerate() {
            let side = side_of(&m.sender);
            let default_delay = if index == 0 || after_line { 0 } else { t.gap_ms };
            let start = cursor + ms(m.timing.delay_ms.unwrap_or(default_delay));
            let style = match (m.kind.has_sender(), side) {
                (true, Some(Side::Them)) if t.typing_indicator => Some(TypingStyle::Indicator),
                (true, Some(Side::Me)) if project.theme.input_typing && m.kind == MessageKind::Text => {
                    Some(TypingStyle::InputBar)
                }
                _ => None,
            };
            let typing_ms = match (m.timing.typing_ms, style) {
                (Some(v), _) => v,
                (None, Some(_)) => auto_typing_ms(project, &m.text),
                (None, None) => 0,
            };
            let appear = start + ms(typing_ms);
            let typing = (typing_ms > 0).then(|| (start, style.unwrap_or(TypingStyle::Indicator)));
            let hold = m.timing.hold_ms.unwrap_or_else(|| match m.kind {
                MessageKind::VoiceNote => {
                    m.media.as_deref().and_then(|f| media.duration_ms(f)).unwrap_or(t.min_hold_ms).max(t.min_hold_ms)
                }
                MessageKind::Image => (t.min_hold_ms * 2).clamp(t.min_hold_ms, t.max_hold_ms),
                MessageKind::System | MessageKind::Date => t.min_hold_ms,
                MessageKind::Text => auto_hold_ms(project, &m.text),
            });
            let clip = media.voice_clip_us(index).filter(|&l| l > 0);
            let hold_end = match (clip, m.timing.hold_ms) {
                (Some(len), None) => appear + len + ms(project.audio.voice_over.gap_ms),
                _ => appear + ms(hold),
            };
            after_line = clip.is_some() && m.timing.hold_ms.is_none();
            if let Some(length) = clip {
                let speaker = project.voice_of(index).map_or(1.0, |v| v.volume);
                voice.push(VoiceLine { index, at: appear, length, gain: project.audio.voice_volume * speaker });
                end = end.max(appear + length);
            }
            let reactions: Vec<Micros> =
                m.reactions.iter().map(|r| appear + ms(r.delay_ms.unwrap_or(DEFAULT_REACTION_DELAY_MS))).collect();

            let sfx = project.audio.sfx_volume;
            if typing_ms > 0 && style == Some(TypingStyle::InputBar) && project.audio.typing_sounds {
                cues.push(SoundCue {
                    at: start,
                    sound: CueSound::Builtin("typing"),
                    gain: sfx * 0.5,
                    length: Some(ms(typing_ms)),
                });
            }
            let sound = match (&m.sound, side) {
                (Some(s), _) if s.src == "none" => None,
                (Some(s), _) => Some((sound_ref(&s.src), s.volume.unwrap_or(1.0))),
                (None, Some(Side::Me)) if project.audio.message_sounds && m.kind.has_sender() => {
                    Some((CueSound::Builtin("send"), 1.0))
                }
                (None, Some(Side::Them)) if project.audio.message_sounds && m.kind.has_sender() => {
                    Some((CueSound::Builtin("receive"), 1.0))
                }
                _ => None,
            };
            if let Some((sound, gain)) = sound {
                cues.push(SoundCue { at: appear, sound, gain: gain * sfx, length: None });
            }
            if m.kind == MessageKind::VoiceNote
                && let Some(media) = &m.media
            {
                // The voice note plays right after it lands, as if the viewer tapped it.
                cues.push(SoundCue {
                    at: appear + 300 * MS,
                    sound: CueSound::File(media.clone()),
                    gain: project.audio.voice_volume,
                    length: None,
                });
            }
            for &at in &reactions {
                if project.audio.message_sounds {
                    cues.push(SoundCue { at, sound: CueSound::Builtin("pop"), gain: sfx * 0.8, length: None });
                }
                end = end.max(at + 600 * MS);
            }
            end = end.max(hold_end);
            cursor = hold_end;
            entries.push(Entry { index, typing, appear, hold_end, reactions });
        }
        cues.sort_by_key(|c| c.at);
        let duration = (end + ms(t.end_hold_ms)).max(SECOND / 10);
        Timeline { entries, cues, voice, duration, fps: project.canvas.fps }
    }

    /// Frames in the video: the duration rounded up to whole frames.
    pub fn frame_count(&self) -> u64 {
        frames_for(self.duration, self.fps)
    }

    /// Start time of frame `n` (exact integer arithmetic, no accumulated error).
    pub fn frame_time(&self, n: u64) -> Micros {
        frame_time(n, self.fps)
    }

    /// Index of the last message whose bubble has appeared at `t`, if any.
    pub fn last_appeared(&self, t: Micros) -> Option<usize> {
        // Appear times never decrease, so binary search keeps long projects cheap.
        let n = self.entries.partition_point(|e| e.appear <= t);
        n.checked_sub(1)
    }

    /// Human-readable form used by snapshot tests and `chatframe validate --timeline`.
    pub fn describe(&self, project: &Project) -> String {
        use std::fmt::Write;
        let f = |us: Micros| format!("{}.{:03}s", us / SECOND, (us % SECOND) / MS);
        let mut s = format!("duration {} ({} frames @ {} fps)\n", f(self.duration), self.frame_count(), self.fps);
        for e in &self.entries {
            let m = &project.messages[e.index];
            let typing = match e.typing {
                Some((at, TypingStyle::Indicator)) => format!("dots {}", f(at)),
                Some((at, TypingStyle::InputBar)) => format!("types {}", f(at)),
                None => "-".into(),
            };
            let text: String = m.text.chars().take(24).collect();
            let _ = writeln!(
                s,
                "{:>3} {:<12} appear {} hold-to {} {}",
                e.index,
                typing,
                f(e.appear),
                f(e.hold_end),
                quoted(&text)
            );
            for (r, at) in m.reactions.iter().zip(&e.reactions) {
                let _ = writeln!(s, "      reaction {} at {}", r.emoji, f(*at));
            }
        }
        for v in &self.voice {
            let _ = writeln!(s, "voice {} for {} (message {})", f(v.at), f(v.length), v.index);
        }
        for c in &self.cues {
            let name = match &c.sound {
                CueSound::Builtin(n) => (*n).to_string(),
                CueSound::File(p) => p.clone(),
            };
            let _ = writeln!(s, "cue {} {} gain {:.2}", f(c.at), name, c.gain);
        }
        s
    }
}

/// The text as written, in quotes. Only control characters (a newline, a tab) are escaped, so
/// each message keeps to one line; emoji sequences (joiners, variation selectors), marks and
/// every script print as themselves.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sound_ref(src: &str) -> CueSound {
    match BUILTIN_SOUNDS.iter().find(|b| **b == src) {
        Some(b) => CueSound::Builtin(b),
        None => CueSound::File(src.to_string()),
    }
}

pub fn frames_for(duration: Micros, fps: u32) -> u64 {
    let fps = i128::from(fps.max(1));
    ((u128::from(duration.max(0) as u64) * fps as u128).div_ceil(SECOND as u128)) as u64
}

pub fn frame_time(n: u64, fps: u32) -> Micros {
    (i128::from(n) * i128::from(SECOND) / i128::from(fps.max(1))) as Micros
}

/// Typing time from message length: characters at the project's typing speed, clamped.
pub fn auto_typing_ms(project: &Project, text: &str) -> u32 {
    let t = &project.timing;
    let chars = text.chars().count() as f32;
    ((chars / t.typing_cps * 1000.0) as u32).clamp(t.min_typing_ms, t.max_typing_ms)
}

/// Hold time from reading speed: words at the project's words-per-minute, clamped.
pub fn auto_hold_ms(project: &Project, text: &str) -> u32 {
    let t = &project.timing;
    // CJK text has no spaces; count roughly two characters per "word" there.
    let words = text.split_whitespace().count().max(text.chars().filter(|c| is_cjk(*c)).count() / 2) as f32;
    ((words / t.reading_wpm * 60_000.0) as u32).clamp(t.min_hold_ms, t.max_hold_ms)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af)
}
