//! flite (CMU Flite): clearer English voices than espeak-ng (`flite -lv`: kal, kal16, awb, rms,
//! slt). Voice ids are `flite:<name>`.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{clip_from_wav, find_on_path, run, scratch};
use crate::{Clip, Prosody, VoiceEngine, VoiceError, VoiceInfo};

const ID: &str = "flite";

/// flite voices that only speak one domain (`awb_time` says the time) are not offered.
fn general_purpose(name: &str) -> bool {
    !name.ends_with("_time")
}

/// Approximate mean pitch (Hz) of the bundled voices: flite scales pitch by a target mean, so a
/// relative pitch needs the voice's own.
fn base_f0(voice: &str) -> f32 {
    match voice {
        "slt" => 170.0,
        "awb" => 115.0,
        _ => 105.0, // kal, kal16, rms
    }
}

pub struct Flite {
    program: PathBuf,
    version: String,
    voices: Vec<String>,
}

impl Flite {
    /// flite from PATH.
    pub fn locate() -> Result<Self, VoiceError> {
        let program = find_on_path(ID).ok_or_else(missing)?;
        Self::at(program)
    }

    /// A specific flite binary.
    pub fn at(program: PathBuf) -> Result<Self, VoiceError> {
        if !program.is_file() {
            return Err(missing());
        }
        // `flite --version` prints its version and exits with 1, so only its output counts.
        let out = Command::new(&program)
            .arg("--version")
            .output()
            .map_err(|e| VoiceError::failed(ID, format!("cannot start it: {e}")))?;
        let version = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.trim().strip_prefix("version:").map(|v| v.trim().to_string()))
            .unwrap_or_default();
        // "Voices available: kal awb_time kal16 awb rms slt"
        let list = String::from_utf8_lossy(&run(ID, Command::new(&program).arg("-lv"), None)?).to_string();
        let voices = list
            .split_once(':')
            .map_or("", |(_, v)| v)
            .split_whitespace()
            .filter(|v| general_purpose(v))
            .map(str::to_string)
            .collect();
        Ok(Flite { program, version, voices })
    }
}

pub(crate) fn missing() -> VoiceError {
    VoiceError::EngineMissing { engine: ID.into(), install: "sudo apt install flite".into() }
}

impl VoiceEngine for Flite {
    fn id(&self) -> &str {
        ID
    }

    fn cache_identity(&self) -> String {
        self.version.clone()
    }

    fn voices(&self) -> Result<Vec<VoiceInfo>, VoiceError> {
        Ok(self
            .voices
            .iter()
            .map(|v| VoiceInfo { id: format!("{ID}:{v}"), name: v.clone(), language: "en".into(), engine: ID.into() })
            .collect())
    }

    fn synthesize(&self, voice: &str, text: &str, prosody: Prosody) -> Result<Clip, VoiceError> {
        // flite silently falls back to its default voice for an unknown name; refuse it instead.
        if !self.voices.iter().any(|v| v == voice) {
            return Err(VoiceError::UnknownVoice { engine: ID.into(), voice: voice.into(), list: "flite -lv".into() });
        }
        let p = prosody.clamped();
        let dir = scratch(ID)?;
        let (txt, wav) = (dir.path().join("line.txt"), dir.path().join("line.wav"));
        std::fs::write(&txt, text).map_err(|e| VoiceError::failed(ID, format!("cannot write the text: {e}")))?;
        let mut cmd = Command::new(&self.program);
        cmd.args(["-voice", voice, "--setf", &format!("duration_stretch={}", 1.0 / p.rate)]);
        if p.pitch != 1.0 {
            cmd.args(["--setf", &format!("int_f0_target_mean={}", base_f0(voice) * p.pitch)]);
        }
        cmd.arg("-f").arg(&txt).arg("-o").arg(&wav);
        run(ID, &mut cmd, None)?;
        clip_from_wav(ID, &wav)
    }
}
