//! The one interface every voice speaks through. Offline engines (espeak-ng, flite) run here; a
//! cloud engine (the account's preset and cloned voices) implements the same trait from
//! `crates/cloud`, so generation, caching, timing and mixing never know where a voice lives.

use std::sync::Arc;

use crate::VoiceError;

/// A voice an engine offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceInfo {
    /// What a participant's `voice.id` names: `engine:voice`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// BCP 47-ish language tag (`en-us`, `de`, `pt-br`).
    pub language: String,
    /// The engine's id (`espeak-ng`, `flite`, `cloud`).
    pub engine: String,
}

/// How a voice is spoken. Volume is not here: it is a gain in the mix, so changing it never
/// re-synthesises a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prosody {
    /// Multiple of the voice's own pitch (0.5–2.0).
    pub pitch: f32,
    /// Multiple of the voice's own speaking rate (0.5–2.0).
    pub rate: f32,
}

impl Default for Prosody {
    fn default() -> Self {
        Prosody { pitch: 1.0, rate: 1.0 }
    }
}

impl Prosody {
    /// Values from a hand-edited file, brought into range (validation reports them; synthesis
    /// must still not pass nonsense to an engine).
    pub fn clamped(self) -> Prosody {
        let c = |v: f32| if v.is_finite() { v.clamp(0.5, 2.0) } else { 1.0 };
        Prosody { pitch: c(self.pitch), rate: c(self.rate) }
    }
}

/// A synthesised line: mono samples at 48 kHz (the mix's rate), silence trimmed from both ends so
/// the line starts on its first sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub samples: Arc<[f32]>,
}

impl Clip {
    pub fn frames(&self) -> usize {
        self.samples.len()
    }

    /// Writes the clip as a 48 kHz mono 32-bit float WAV file.
    pub fn write_wav(&self, path: &std::path::Path) -> Result<(), VoiceError> {
        crate::cache::write_wav(path, &self.samples)
    }
}

/// A speech engine.
pub trait VoiceEngine: Send + Sync {
    /// The engine's id, the part of a voice id before the colon (`espeak-ng`).
    fn id(&self) -> &str;

    /// Changes whenever the same request could sound different (the engine's version, a cloud
    /// voice's revision): part of every cache key, so an upgrade re-synthesises instead of
    /// mixing old and new clips.
    fn cache_identity(&self) -> String;

    /// Every voice this engine offers.
    fn voices(&self) -> Result<Vec<VoiceInfo>, VoiceError>;

    /// Speaks `text` with `voice` (the part after the colon). Blocking; called from several
    /// threads at once.
    fn synthesize(&self, voice: &str, text: &str, prosody: Prosody) -> Result<Clip, VoiceError>;
}

/// The engines a project can use, looked up by the engine part of a voice id. Engines that are
/// not installed are remembered with their error, so asking for one says how to install it.
#[derive(Default)]
pub struct Engines {
    engines: Vec<Arc<dyn VoiceEngine>>,
    missing: Vec<(String, VoiceError)>,
}

impl Engines {
    /// Nothing registered.
    pub fn new() -> Self {
        Self::default()
    }

    /// The offline engines found on PATH (espeak-ng, flite).
    pub fn detect() -> Self {
        Self::detect_on(&std::env::var_os("PATH").unwrap_or_default())
    }

    /// The offline engines found on `path` (a PATH-style list of directories).
    pub fn detect_on(path: &std::ffi::OsStr) -> Self {
        let mut e = Engines::new();
        let find = |program: &str| crate::process::find_on(path, program);
        match find("espeak-ng").ok_or_else(crate::espeak::missing).and_then(crate::Espeak::at) {
            Ok(x) => e.add(Arc::new(x)),
            Err(err) => e.missing.push(("espeak-ng".into(), err)),
        }
        match find("flite").ok_or_else(crate::flite::missing).and_then(crate::Flite::at) {
            Ok(x) => e.add(Arc::new(x)),
            Err(err) => e.missing.push(("flite".into(), err)),
        }
        e
    }

    /// Registers an engine (a cloud engine, a test double); it replaces one with the same id.
    pub fn add(&mut self, engine: Arc<dyn VoiceEngine>) {
        self.engines.retain(|x| x.id() != engine.id());
        self.missing.retain(|(id, _)| id != engine.id());
        self.engines.push(engine);
    }

    /// The engine for `voice_id` (`engine:voice`) and the voice part.
    pub fn resolve<'a>(&self, voice_id: &'a str) -> Result<(&Arc<dyn VoiceEngine>, &'a str), VoiceError> {
        let (engine, voice) = voice_id.split_once(':').unwrap_or(("", voice_id));
        if let Some(e) = self.engines.iter().find(|e| e.id() == engine) {
            return Ok((e, voice));
        }
        match self.missing.iter().find(|(id, _)| id == engine) {
            Some((_, VoiceError::EngineMissing { engine, install })) => {
                return Err(VoiceError::EngineMissing { engine: engine.clone(), install: install.clone() });
            }
            // Installed but broken (it would not start, or listed no voices): say so.
            Some((id, err)) => return Err(VoiceError::failed(id, err.to_string())),
            None => {}
        }
        let mut known: Vec<&str> = self.engines.iter().map(|e| e.id()).collect();
        known.extend(self.missing.iter().map(|(id, _)| id.as_str()));
        Err(VoiceError::UnknownEngine { engine: engine.to_string(), known: known.join(", ") })
    }

    /// Every voice of every installed engine.
    pub fn voices(&self) -> Result<Vec<VoiceInfo>, VoiceError> {
        let mut all = Vec::new();
        for e in &self.engines {
            all.extend(e.voices()?);
        }
        Ok(all)
    }

    /// Engines that were looked for and not found, with how to install each.
    pub fn missing(&self) -> impl Iterator<Item = &VoiceError> {
        self.missing.iter().map(|(_, e)| e)
    }
}
