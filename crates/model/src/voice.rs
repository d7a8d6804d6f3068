//! Voice-over in the document: a participant's voice and its settings, the project's voice-over
//! switch and gap, and which messages are spoken. What a line says aloud (emoji, URLs) is decided
//! by `chatframe-voice`; this module only holds what the user chose.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{MessageKind, Project};

/// Voices used, in participant order, for participants that name none: distinct enough to tell
/// two speakers apart, and from espeak-ng, which `make` installs with every language.
pub const DEFAULT_VOICES: [&str; 4] =
    ["espeak-ng:en-us+m3", "espeak-ng:en-us+f3", "espeak-ng:en-gb+m5", "espeak-ng:en-gb+f2"];

/// A participant's voice: which one and how it is spoken.
///
/// In a file this is either the voice id alone (`"voice": "flite:slt"`, the form format v1 has
/// always accepted) or an object with settings. It is always written as the object.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoiceSettings {
    /// `engine:voice`: `espeak-ng:<language>[+variant]` (`espeak-ng --voices`), `flite:<name>`
    /// (`flite -lv`), and later `cloud:<id>` for the account's cloud and cloned voices.
    pub id: String,
    /// Pitch as a multiple of the voice's own (0.5–2.0).
    #[serde(default = "one")]
    pub pitch: f32,
    /// Speaking rate as a multiple of the voice's own (0.5–2.0).
    #[serde(default = "one")]
    pub rate: f32,
    /// Linear gain of this voice in the mix (0–4), applied on top of `audio.voiceVolume`.
    #[serde(default = "one")]
    pub volume: f32,
}

fn one() -> f32 {
    1.0
}

impl VoiceSettings {
    pub fn new(id: impl Into<String>) -> Self {
        VoiceSettings { id: id.into(), pitch: 1.0, rate: 1.0, volume: 1.0 }
    }

    /// The engine part of the id (`espeak-ng` of `espeak-ng:en-us`), if the id has one.
    pub fn engine(&self) -> Option<&str> {
        self.id.split_once(':').map(|(e, _)| e)
    }
}

/// The object form, with unknown fields refused like everywhere else in the file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsObject {
    id: String,
    #[serde(default = "one")]
    pitch: f32,
    #[serde(default = "one")]
    rate: f32,
    #[serde(default = "one")]
    volume: f32,
}

// A visitor rather than `#[serde(untagged)]`: an untagged enum reports every mistake inside the
// object as "did not match any variant", hiding which field is wrong.
impl<'de> Deserialize<'de> for VoiceSettings {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = VoiceSettings;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a voice id (\"espeak-ng:en-us\") or an object {id, pitch, rate, volume}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<VoiceSettings, E> {
                Ok(VoiceSettings::new(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<VoiceSettings, A::Error> {
                let o = SettingsObject::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(VoiceSettings { id: o.id, pitch: o.pitch, rate: o.rate, volume: o.volume })
            }
        }
        d.deserialize_any(V)
    }
}

/// What the JSON Schema says `participants[].voice` may be.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
pub(crate) enum VoiceField {
    /// A voice id with default settings.
    Id(String),
    Settings(VoiceSettings),
}

/// The project's voice-over: off by default, so a project without voices renders as before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VoiceOver {
    /// Speak every text message (a message's own `voiceOver` wins).
    #[serde(default)]
    pub enabled: bool,
    /// Pause after a spoken line ends before the next message starts.
    #[serde(default = "VoiceOver::d_gap")]
    pub gap_ms: u32,
    /// How far the music drops while a line is spoken (0 = not at all, 1 = silent); the larger
    /// of this and `audio.ducking` applies.
    #[serde(default = "VoiceOver::d_ducking")]
    pub ducking: f32,
}

impl VoiceOver {
    fn d_gap() -> u32 {
        300
    }
    fn d_ducking() -> f32 {
        0.6
    }
}

impl VoiceOver {
    /// Left out of written files while untouched, so projects without voice-over stay as they were.
    pub fn is_default(&self) -> bool {
        *self == VoiceOver::default()
    }
}

impl Default for VoiceOver {
    fn default() -> Self {
        VoiceOver { enabled: false, gap_ms: Self::d_gap(), ducking: Self::d_ducking() }
    }
}

impl Project {
    /// Whether message `index` is spoken: a text (or captioned photo) from a participant, with
    /// voice-over on for the project or for the message itself. The words may still turn out
    /// empty (an emoji-only message), which the voice crate skips.
    pub fn is_voiced(&self, index: usize) -> bool {
        let Some(m) = self.messages.get(index) else { return false };
        let speakable = matches!(m.kind, MessageKind::Text | MessageKind::Image) && m.sender.is_some();
        speakable && m.voice_over.unwrap_or(self.audio.voice_over.enabled)
    }

    /// The voice message `index` is spoken with: its sender's, or a default picked by the
    /// sender's position among the participants.
    pub fn voice_of(&self, index: usize) -> Option<VoiceSettings> {
        let sender = self.messages.get(index)?.sender.as_deref()?;
        let (i, p) = self.participants.iter().enumerate().find(|(_, p)| p.id == sender)?;
        Some(p.voice.clone().unwrap_or_else(|| VoiceSettings::new(DEFAULT_VOICES[i % DEFAULT_VOICES.len()])))
    }
}

impl Project {
    /// Voice settings out of range, as (JSON path, problem); collected by [`Project::validate`].
    pub(crate) fn voice_problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, p) in self.participants.iter().enumerate() {
            let Some(v) = &p.voice else { continue };
            let at = |f: &str| format!("participants[{i}].voice.{f}");
            if v.engine().is_none_or(|e| e.is_empty()) || v.id.ends_with(':') {
                out.push((at("id"), format!("must be engine:voice (e.g. espeak-ng:en-us, flite:slt), got {:?}", v.id)));
            }
            for (name, x) in [("pitch", v.pitch), ("rate", v.rate)] {
                if !(0.5..=2.0).contains(&x) {
                    out.push((at(name), "must be between 0.5 and 2".into()));
                }
            }
            if !(0.0..=4.0).contains(&v.volume) {
                out.push((at("volume"), "must be between 0 and 4".into()));
            }
        }
        let vo = &self.audio.voice_over;
        if vo.gap_ms > crate::MAX_TIMING_MS {
            out.push(("audio.voiceOver.gapMs".into(), format!("must be at most {} ms", crate::MAX_TIMING_MS)));
        }
        if !(0.0..=1.0).contains(&vo.ducking) {
            out.push(("audio.voiceOver.ducking".into(), "must be between 0 and 1".into()));
        }
        for (i, m) in self.messages.iter().enumerate() {
            let n = m.spoken_text.as_deref().map_or(0, |s| s.chars().count());
            if n > crate::MAX_MESSAGE_CHARS {
                out.push((
                    format!("messages[{i}].spokenText"),
                    format!("is {n} characters long; the limit is {}", crate::MAX_MESSAGE_CHARS),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voice_is_an_id_or_an_object_and_is_written_as_the_object() {
        let s: VoiceSettings = serde_json::from_str("\"flite:slt\"").unwrap();
        assert_eq!(s, VoiceSettings::new("flite:slt"));
        let o: VoiceSettings = serde_json::from_str(r#"{"id": "espeak-ng:de", "rate": 1.2}"#).unwrap();
        assert_eq!((o.id.as_str(), o.rate, o.pitch), ("espeak-ng:de", 1.2, 1.0));
        assert_eq!(serde_json::to_value(&s).unwrap()["id"], "flite:slt");
        let err = serde_json::from_str::<VoiceSettings>(r#"{"id": "x", "speed": 2}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `speed`"), "{err}");
        assert!(serde_json::from_str::<VoiceSettings>("3").is_err());
    }
}
