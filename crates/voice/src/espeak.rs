//! espeak-ng: formant synthesis in every language it ships (`espeak-ng --voices`), robotic but
//! always intelligible and fast. Voice ids are `espeak-ng:<language>` with an optional variant
//! (`espeak-ng:en-us+f3`, variants from `espeak-ng --voices=variant`).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::process::{clip_from_wav, find_on_path, run, scratch};
use crate::{Clip, Prosody, VoiceEngine, VoiceError, VoiceInfo};

const ID: &str = "espeak-ng";
/// espeak-ng's own defaults: 175 words per minute, pitch 50 on its 0–99 scale.
const BASE_WPM: f32 = 175.0;
const BASE_PITCH: f32 = 50.0;

/// The languages espeak-ng speaks and the variant names it accepts after `+`.
struct Catalogue {
    languages: Vec<VoiceInfo>,
    variants: Vec<String>,
}

pub struct Espeak {
    program: PathBuf,
    version: String,
    voices: OnceLock<Result<Catalogue, String>>,
}

impl Espeak {
    /// espeak-ng from PATH.
    pub fn locate() -> Result<Self, VoiceError> {
        let program = find_on_path(ID).ok_or_else(missing)?;
        Self::at(program)
    }

    /// A specific espeak-ng binary.
    pub fn at(program: PathBuf) -> Result<Self, VoiceError> {
        if !program.is_file() {
            return Err(missing());
        }
        let out = run(ID, Command::new(&program).arg("--version"), None)?;
        let text = String::from_utf8_lossy(&out);
        // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/..." — the data path is not identity.
        let version = text.split("Data at").next().unwrap_or_default().trim().to_string();
        Ok(Espeak { program, version, voices: OnceLock::new() })
    }

    /// Languages (with names) and variant names, listed once per process.
    fn catalogue(&self) -> Result<&Catalogue, VoiceError> {
        let list = self.voices.get_or_init(|| {
            let langs = run(ID, Command::new(&self.program).arg("--voices"), None).map_err(|e| e.to_string())?;
            let variants =
                run(ID, Command::new(&self.program).arg("--voices=variant"), None).map_err(|e| e.to_string())?;
            let rows = |b: &[u8]| {
                String::from_utf8_lossy(b)
                    .lines()
                    .skip(1)
                    .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                    .filter(|c| c.len() >= 5)
                    .collect::<Vec<_>>()
            };
            let voices = rows(&langs)
                .into_iter()
                .map(|c| VoiceInfo {
                    id: format!("{ID}:{}", c[1]),
                    name: c[3].replace('_', " "),
                    language: c[1].to_lowercase(),
                    engine: ID.into(),
                })
                .collect();
            let variants =
                rows(&variants).into_iter().filter_map(|c| c[4].strip_prefix("!v/").map(str::to_string)).collect();
            Ok(Catalogue { languages: voices, variants })
        });
        list.as_ref().map_err(|m| VoiceError::failed(ID, m.clone()))
    }

    fn check_voice(&self, voice: &str) -> Result<(), VoiceError> {
        let Catalogue { languages: voices, variants } = self.catalogue()?;
        let (lang, variant) = voice.split_once('+').map_or((voice, None), |(l, v)| (l, Some(v)));
        let known_lang = voices.iter().any(|v| v.id[ID.len() + 1..] == *lang);
        let known_variant = variant.is_none_or(|v| variants.iter().any(|x| x == v));
        if known_lang && known_variant {
            Ok(())
        } else {
            Err(VoiceError::UnknownVoice { engine: ID.into(), voice: voice.into(), list: "espeak-ng --voices".into() })
        }
    }
}

pub(crate) fn missing() -> VoiceError {
    VoiceError::EngineMissing { engine: ID.into(), install: "sudo apt install espeak-ng".into() }
}

impl VoiceEngine for Espeak {
    fn id(&self) -> &str {
        ID
    }

    fn cache_identity(&self) -> String {
        self.version.clone()
    }

    fn voices(&self) -> Result<Vec<VoiceInfo>, VoiceError> {
        Ok(self.catalogue()?.languages.clone())
    }

    fn synthesize(&self, voice: &str, text: &str, prosody: Prosody) -> Result<Clip, VoiceError> {
        self.check_voice(voice)?;
        let p = prosody.clamped();
        let wpm = (BASE_WPM * p.rate).round() as u32;
        // The 0–99 pitch scale is roughly logarithmic: one octave up or down spans it.
        let pitch = (BASE_PITCH + BASE_PITCH * p.pitch.log2()).round().clamp(0.0, 99.0) as u32;
        let dir = scratch(ID)?;
        let wav = dir.path().join("line.wav");
        // Text on stdin, never in argv, so a line starting with "-" is spoken, not parsed.
        let mut cmd = Command::new(&self.program);
        cmd.args(["-v", voice, "-s", &wpm.to_string(), "-p", &pitch.to_string(), "-w"]).arg(&wav).arg("--stdin");
        run(ID, &mut cmd, Some(text.as_bytes()))?;
        clip_from_wav(ID, &wav)
    }
}
