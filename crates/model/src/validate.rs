//! Semantic checks that serde cannot express: references between fields, sizes, ranges.
//! All problems are collected so a user fixes a file in one pass.

use std::collections::HashSet;
use std::path::Path;

use crate::{Avatar, Background, MessageKind, ModelError, Project};

/// Longest message text accepted. Longer than any real chat bubble; refusing it keeps layout and
/// memory bounded for hostile files.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
pub const MAX_MESSAGES: usize = 100_000;
pub const MAX_PARTICIPANTS: usize = 64;
pub const MIN_CANVAS: u32 = 64;
pub const MAX_CANVAS: u32 = 4320;
pub const MAX_FPS: u32 = 120;
/// Longest single timing value (10 minutes).
pub const MAX_TIMING_MS: u32 = 600_000;

impl Project {
    /// Checks everything that does not need the file system.
    pub fn validate(&self) -> Result<(), ModelError> {
        let mut errs = Vec::new();
        let mut bad = |path: String, msg: &str| errs.push(ModelError::field(path, msg));

        let c = &self.canvas;
        for (name, v) in [("canvas.width", c.width), ("canvas.height", c.height)] {
            if !(MIN_CANVAS..=MAX_CANVAS).contains(&v) {
                bad(name.into(), &format!("must be between {MIN_CANVAS} and {MAX_CANVAS} pixels, got {v}"));
            } else if v % 2 != 0 {
                bad(name.into(), &format!("must be an even number of pixels (video encoders need it), got {v}"));
            }
        }
        if !(1..=MAX_FPS).contains(&c.fps) {
            bad("canvas.fps".into(), &format!("must be between 1 and {MAX_FPS}, got {}", c.fps));
        }
        if let Background::Gradient { angle, .. } = c.background
            && !angle.is_finite()
        {
            bad("canvas.background.angle".into(), "must be a finite number of degrees");
        }
        if let Background::Image { path } = &c.background
            && path.trim().is_empty()
        {
            bad("canvas.background.path".into(), "must name an image file");
        }

        if self.participants.len() > MAX_PARTICIPANTS {
            bad("participants".into(), &format!("at most {MAX_PARTICIPANTS} participants are supported"));
        }
        let mut ids = HashSet::new();
        for (i, p) in self.participants.iter().enumerate() {
            if p.id.trim().is_empty() {
                bad(format!("participants[{i}].id"), "must not be empty");
            } else if !ids.insert(p.id.as_str()) {
                bad(format!("participants[{i}].id"), &format!("duplicate participant id {:?}", p.id));
            }
            if p.name.trim().is_empty() {
                bad(format!("participants[{i}].name"), "must not be empty");
            } else if p.name.chars().count() > 100 {
                bad(format!("participants[{i}].name"), "must be at most 100 characters");
            }
            if let Some(Avatar::Initials { initials, .. }) = &p.avatar
                && initials.chars().count() > 3
            {
                bad(format!("participants[{i}].avatar.initials"), "must be at most 3 characters");
            }
        }

        if self.messages.len() > MAX_MESSAGES {
            bad("messages".into(), &format!("at most {MAX_MESSAGES} messages are supported"));
        }
        let mut msg_ids = HashSet::new();
        for (i, m) in self.messages.iter().enumerate() {
            let at = |field: &str| format!("messages[{i}].{field}");
            if !m.id.is_empty() && !msg_ids.insert(m.id.as_str()) {
                bad(at("id"), &format!("duplicate message id {:?}", m.id));
            }
            match (&m.sender, m.kind.has_sender()) {
                (None, true) => bad(at("sender"), "is required for this kind of message"),
                (Some(s), _) if !ids.contains(s.as_str()) => {
                    bad(at("sender"), &format!("unknown participant {s:?} (not in participants[].id)"))
                }
                _ => {}
            }
            let chars = m.text.chars().count();
            if chars > MAX_MESSAGE_CHARS {
                bad(at("text"), &format!("is {chars} characters long; the limit is {MAX_MESSAGE_CHARS}"));
            }
            match m.kind {
                MessageKind::Image | MessageKind::VoiceNote
                    if m.media.as_deref().is_none_or(|s| s.trim().is_empty()) =>
                {
                    bad(at("media"), "is required for image and voice note messages")
                }
                MessageKind::Text | MessageKind::System | MessageKind::Date if m.text.trim().is_empty() => {
                    bad(at("text"), "must not be empty")
                }
                _ => {}
            }
            for (j, r) in m.reactions.iter().enumerate() {
                let n = r.emoji.chars().count();
                if n == 0 || n > 16 {
                    bad(at(&format!("reactions[{j}].emoji")), "must be one emoji");
                }
                if let Some(from) = &r.from
                    && !ids.contains(from.as_str())
                {
                    bad(at(&format!("reactions[{j}].from")), &format!("unknown participant {from:?}"));
                }
            }
            let t = m.timing;
            for (name, v) in [("delayMs", t.delay_ms), ("typingMs", t.typing_ms), ("holdMs", t.hold_ms)] {
                if v.is_some_and(|v| v > MAX_TIMING_MS) {
                    bad(at(&format!("timing.{name}")), &format!("must be at most {MAX_TIMING_MS} ms"));
                }
            }
            if let Some(s) = &m.sound
                && s.volume.is_some_and(|v| !(0.0..=4.0).contains(&v))
            {
                bad(at("sound.volume"), "must be between 0 and 4");
            }
        }

        let tm = &self.timing;
        if !(tm.typing_cps.is_finite() && tm.typing_cps > 0.0) {
            bad("timing.typingCps".into(), "must be a positive number");
        }
        if !(tm.reading_wpm.is_finite() && tm.reading_wpm > 0.0) {
            bad("timing.readingWpm".into(), "must be a positive number");
        }
        if tm.min_typing_ms > tm.max_typing_ms {
            bad("timing.minTypingMs".into(), "must not exceed timing.maxTypingMs");
        }
        if tm.min_hold_ms > tm.max_hold_ms {
            bad("timing.minHoldMs".into(), "must not exceed timing.maxHoldMs");
        }
        for (name, v) in [
            ("startDelayMs", tm.start_delay_ms),
            ("endHoldMs", tm.end_hold_ms),
            ("gapMs", tm.gap_ms),
            ("maxTypingMs", tm.max_typing_ms),
            ("maxHoldMs", tm.max_hold_ms),
        ] {
            if v > MAX_TIMING_MS {
                bad(format!("timing.{name}"), &format!("must be at most {MAX_TIMING_MS} ms"));
            }
        }

        let a = &self.audio;
        for (name, v) in [("sfxVolume", a.sfx_volume), ("voiceVolume", a.voice_volume)] {
            if !(0.0..=4.0).contains(&v) {
                bad(format!("audio.{name}"), "must be between 0 and 4");
            }
        }
        if !(0.0..=1.0).contains(&a.ducking) {
            bad("audio.ducking".into(), "must be between 0 and 1");
        }
        if let Some(m) = &a.music {
            if !(0.0..=4.0).contains(&m.volume) {
                bad("audio.music.volume".into(), "must be between 0 and 4");
            }
            if m.src.trim().is_empty() {
                bad("audio.music.src".into(), "must name an audio file");
            }
        }
        for (path, problem) in self.voice_problems() {
            bad(path, &problem);
        }
        ModelError::from_list(errs)
    }

    /// Every media file the project refers to, with the JSON path that names it.
    pub fn media_refs(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        if let Background::Image { path } = &self.canvas.background {
            out.push(("canvas.background.path".to_string(), path.as_str()));
        }
        if let Some(Avatar::Image { image }) = &self.theme.header.avatar {
            out.push(("theme.header.avatar.image".to_string(), image.as_str()));
        }
        for (i, p) in self.participants.iter().enumerate() {
            if let Some(Avatar::Image { image }) = &p.avatar {
                out.push((format!("participants[{i}].avatar.image"), image.as_str()));
            }
        }
        for (i, m) in self.messages.iter().enumerate() {
            if let Some(media) = &m.media {
                out.push((format!("messages[{i}].media"), media.as_str()));
            }
            if let Some(s) = &m.sound
                && !crate::is_builtin_sound(&s.src)
            {
                out.push((format!("messages[{i}].sound.src"), s.src.as_str()));
            }
        }
        if let Some(m) = &self.audio.music {
            out.push(("audio.music.src".to_string(), m.src.as_str()));
        }
        out
    }

    /// Checks that every referenced media file exists (relative paths resolve against `base`).
    pub fn check_media(&self, base: &Path) -> Result<(), ModelError> {
        let errs = self
            .media_refs()
            .into_iter()
            .filter_map(|(path, file)| {
                let full = crate::resolve_media(base, file);
                (!full.is_file()).then(|| ModelError::field(path, format!("file not found: {}", full.display())))
            })
            .collect();
        ModelError::from_list(errs)
    }
}
