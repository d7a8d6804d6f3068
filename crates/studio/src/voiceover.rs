//! Voice-over in the studio: the speech engines and the clip cache every session shares, the voice
//! list the participant editor offers, a sample line to audition a voice, and "Generate
//! voice-over" as a background job per project with progress and cancel.
//!
//! Sessions never synthesise while editing: after each edit they look up what the cache already
//! holds ([`chatframe_voice::from_cache`]), so the timeline waits for every line that has a clip and
//! the UI can say how many lines are still to generate. The generation job only fills the cache;
//! the session picks the new clips up the next time the UI asks for the job (see `App`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chatframe_model::{Project, VoiceSettings};
use chatframe_voice::{
    CachedVoice, CancelToken, ClipCache, ClipRequest, Engines, GenerateOptions, LineProgress, Prosody, VoiceTrack,
};
use serde::{Deserialize, Serialize};

use crate::{ErrorPayload, StudioError};

/// The engines found on this machine and the clip cache, shared by every session.
pub struct Voices {
    engines: Engines,
    cache: ClipCache,
    /// Listing voices runs the engines: once per launch is enough.
    catalog: std::sync::OnceLock<VoiceCatalog>,
}

impl std::fmt::Debug for Voices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voices").field("cache", &self.cache.dir()).finish_non_exhaustive()
    }
}

/// A voice the participant editor offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VoiceOption {
    /// What goes into a participant's `voice.id` (`espeak-ng:en-us`).
    pub id: String,
    pub name: String,
    pub language: String,
    pub engine: String,
}

/// An engine that is not installed, and how to install it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MissingEngine {
    pub engine: String,
    /// A sentence saying how to install it.
    pub message: String,
}

/// Every voice on this machine, for the voice picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VoiceCatalog {
    pub voices: Vec<VoiceOption>,
    pub missing: Vec<MissingEngine>,
    /// The voice a participant without one speaks with, by position in the participant list
    /// (cycling): what the picker shows as "Default".
    pub defaults: Vec<String>,
}

/// [`Voices`] found on first use: looking for the engines runs them, which a library that never
/// speaks should not pay for.
#[derive(Debug)]
pub struct LazyVoices {
    cache_dir: PathBuf,
    cell: std::sync::OnceLock<Arc<Voices>>,
}

impl LazyVoices {
    pub fn new(cache_dir: PathBuf) -> LazyVoices {
        LazyVoices { cache_dir, cell: std::sync::OnceLock::new() }
    }

    pub fn get(&self) -> &Arc<Voices> {
        self.cell.get_or_init(|| Arc::new(Voices::new(self.cache_dir.clone())))
    }
}

impl Voices {
    /// The engines on PATH and a cache in `cache_dir`.
    pub fn new(cache_dir: PathBuf) -> Voices {
        Voices { engines: Engines::detect(), cache: ClipCache::new(cache_dir), catalog: std::sync::OnceLock::new() }
    }

    pub fn engines(&self) -> &Engines {
        &self.engines
    }

    pub fn cache(&self) -> &ClipCache {
        &self.cache
    }

    pub fn catalog(&self) -> Result<VoiceCatalog, StudioError> {
        if let Some(c) = self.catalog.get() {
            return Ok(c.clone());
        }
        let voices = self
            .engines
            .voices()?
            .into_iter()
            .map(|v| VoiceOption { id: v.id, name: v.name, language: v.language, engine: v.engine })
            .collect();
        let missing = self
            .engines
            .missing()
            .map(|e| MissingEngine {
                engine: match e {
                    chatframe_voice::VoiceError::EngineMissing { engine, .. } => engine.clone(),
                    other => other.code().to_string(),
                },
                message: e.to_string(),
            })
            .collect();
        Ok(self
            .catalog
            .get_or_init(|| VoiceCatalog {
                voices,
                missing,
                defaults: chatframe_model::DEFAULT_VOICES.iter().map(|v| v.to_string()).collect(),
            })
            .clone())
    }

    /// `text` spoken with `voice` (through the cache, so auditioning twice speaks once), as a
    /// 48 kHz mono clip.
    pub fn sample(&self, voice: &VoiceSettings, text: &str) -> Result<Arc<[f32]>, StudioError> {
        let (engine, name) = self.engines.resolve(&voice.id)?;
        let req = ClipRequest { voice: name, text, prosody: Prosody { pitch: voice.pitch, rate: voice.rate } };
        Ok(self.cache.get_or_synthesize(engine.as_ref(), &req)?.samples)
    }

    /// Voices every spoken line of `project` (cache hits are read, misses synthesised in
    /// parallel). The export runs this so a video never lacks a line the user did not generate.
    pub fn generate(
        &self,
        project: &Project,
        cancel: &CancelToken,
        progress: Option<&(dyn Fn(&LineProgress) + Sync)>,
    ) -> Result<VoiceTrack, StudioError> {
        let opts = GenerateOptions { cancel: cancel.clone(), threads: 0, progress };
        Ok(chatframe_voice::generate(project, &self.engines, &self.cache, &opts)?)
    }
}

/// Whether any message of `project` is spoken.
pub fn is_voiced(project: &Project) -> bool {
    (0..project.messages.len()).any(|i| project.is_voiced(i))
}

/// Where a session's voice-over stands, as the editor shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VoiceStatus {
    /// Lines the project speaks.
    pub spoken: u32,
    /// Lines with a clip: the timeline waits for exactly these.
    pub ready: u32,
    /// Ids of spoken messages with no clip yet.
    pub missing: Vec<String>,
    /// Spoken messages that cannot be voiced as they are, with the reason.
    pub problems: Vec<VoiceProblem>,
    /// Why nothing can be voiced (a message switched on with nothing to say), when that is so.
    pub error: Option<ErrorPayload>,
}

impl VoiceStatus {
    pub(crate) fn of(project: &Project, voice: &Result<CachedVoice, chatframe_voice::VoiceError>) -> VoiceStatus {
        let id = |i: usize| project.messages[i].id.clone();
        match voice {
            Ok(v) => VoiceStatus {
                spoken: v.spoken() as u32,
                ready: v.track.lines().len() as u32,
                missing: v.missing.iter().map(|&i| id(i)).collect(),
                problems: v
                    .problems
                    .iter()
                    .map(|(i, e)| VoiceProblem { message_id: id(*i), error: ErrorPayload::from(e) })
                    .collect(),
                error: None,
            },
            Err(e) => VoiceStatus { error: Some(ErrorPayload::from(e)), ..VoiceStatus::default() },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VoiceProblem {
    pub message_id: String,
    pub error: ErrorPayload,
}

/// How "Generate voice-over" is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum VoiceJobState {
    Running,
    Done,
    Failed,
    Cancelled,
}

/// One project's generation job, as the UI polls it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VoiceJob {
    pub project_id: String,
    pub state: VoiceJobState,
    /// Lines finished (read from the cache or synthesised) and in all.
    pub done: u32,
    pub total: u32,
    /// Lines synthesised by this run (the rest came from the cache).
    pub synthesised: u32,
    pub elapsed_seconds: f64,
    pub error: Option<ErrorPayload>,
}

/// A running or finished job and the token that stops it.
pub(crate) struct JobHandle {
    pub(crate) job: Arc<Mutex<VoiceJob>>,
    pub(crate) cancel: CancelToken,
    /// The open session has picked up this job's clips.
    pub(crate) applied: bool,
}

/// Starts voicing `project` on a thread of its own; the handle reports progress as lines finish.
pub(crate) fn spawn_job(voices: Arc<Voices>, project_id: &str, project: Project) -> JobHandle {
    let job = Arc::new(Mutex::new(VoiceJob {
        project_id: project_id.to_string(),
        state: VoiceJobState::Running,
        done: 0,
        total: 0,
        synthesised: 0,
        elapsed_seconds: 0.0,
        error: None,
    }));
    let cancel = CancelToken::new();
    let (shared, token) = (job.clone(), cancel.clone());
    std::thread::Builder::new()
        .name("voice-over".into())
        .spawn(move || {
            let started = Instant::now();
            let progress = |p: &LineProgress| {
                let mut j = shared.lock().unwrap_or_else(|e| e.into_inner());
                j.done = p.done as u32;
                j.total = p.total as u32;
                j.synthesised += u32::from(!p.cached);
                j.elapsed_seconds = started.elapsed().as_secs_f64();
            };
            let result = voices.generate(&project, &token, Some(&progress));
            let mut j = shared.lock().unwrap_or_else(|e| e.into_inner());
            j.elapsed_seconds = started.elapsed().as_secs_f64();
            j.state = match result {
                Ok(_) => VoiceJobState::Done,
                Err(_) if token.is_cancelled() => VoiceJobState::Cancelled,
                Err(e) => {
                    tracing::warn!(error = %e, "voice-over generation failed");
                    j.error = Some(ErrorPayload::from(&e));
                    VoiceJobState::Failed
                }
            };
        })
        .expect("spawn the voice-over thread");
    JobHandle { job, cancel, applied: false }
}
