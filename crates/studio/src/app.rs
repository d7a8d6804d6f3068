//! The application as its front doors (the desktop app's IPC commands, the local automation API
//! over HTTP, the CLI) use it: the library, the open editing sessions, the export queue and the
//! transport in one value. Every method is blocking (SQLite, rendering); async callers run them
//! on a blocking thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chatframe_model::Micros;
use chatframe_model::VoiceSettings;

use crate::voiceover::JobHandle;
use crate::{
    CreateProject, EditOp, EditResult, ExportJob, ExportQueue, ExportRequest, Marker, MediaInfo, Playback,
    PlaybackState, PreviewFrame, ProjectSummary, Session, SessionState, Soundtrack, Studio, StudioError, VoiceCatalog,
    VoiceJob, VoiceJobState,
};
use serde::{Deserialize, Serialize};

/// What every [`App`] call answers.
pub type AppResult<T> = Result<T, StudioError>;

/// The transport's name for an auditioned voice (no project has this id: ids are UUIDs).
const VOICE_SAMPLE: &str = "voice-sample";

/// The library setting holding the folder of the last export the user placed.
const EXPORT_FOLDER_KEY: &str = "exportFolder";

/// What the library view needs besides the projects: samples to start from and export choices.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub samples: Vec<Sample>,
    pub formats: Vec<String>,
    pub presets: Vec<String>,
    /// Where exports go when a request names no path.
    pub export_dir: String,
}

/// A sample project to start from: `id` for [`crate::Template::Sample`], `name` to show.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub id: String,
    pub name: String,
}

/// One library with its open sessions and export queue.
pub struct App {
    studio: Mutex<Studio>,
    /// A session per open project; kept open so its renderer caches survive between frames.
    sessions: Mutex<HashMap<String, Arc<Mutex<Session>>>>,
    exports: ExportQueue,
    library_dir: PathBuf,
    /// The one transport: at most one soundtrack plays at a time. Locked only briefly (the mix
    /// is made under the session's lock), so position polls never wait for a mix or a frame.
    playback: Mutex<Playback>,
    /// "Generate voice-over" per project: at most one job each, kept after it ends so the UI can
    /// read how it went.
    voice_jobs: Mutex<HashMap<String, JobHandle>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves consistent data here (every write is one call into
    // the studio, which is itself all-or-nothing), so keep serving rather than poisoning forever.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    /// Opens (creating if needed) the library at `library` (an SQLite file). Samples come from
    /// `samples`, or else from the binary (written to `samples/` beside the library).
    pub fn open(library: &Path, samples: Option<PathBuf>, export_dir: Option<PathBuf>) -> AppResult<Arc<App>> {
        if let Some(dir) = library.parent() {
            std::fs::create_dir_all(dir).map_err(StudioError::io("cannot create the library folder", dir))?;
        }
        let mut studio = Studio::open(library)?;
        let samples = match samples {
            Some(dir) => dir,
            None => {
                let dir = studio.library_dir().join("samples");
                crate::samples::install(&dir).map_err(StudioError::io("cannot write the sample projects", &dir))?
            }
        };
        studio.set_samples_dir(samples);
        let library_dir = studio.library_dir();
        let export_dir = export_dir.unwrap_or_else(default_export_dir);
        Ok(Arc::new(App {
            studio: Mutex::new(studio),
            sessions: Mutex::new(HashMap::new()),
            exports: ExportQueue::start(export_dir),
            library_dir,
            playback: Mutex::new(Playback::new()),
            voice_jobs: Mutex::new(HashMap::new()),
        }))
    }

    pub fn catalog(&self) -> Catalog {
        // Two statements: a guard held in the literal would still be held by `export_folder`.
        let samples = lock(&self.studio).samples().into_iter().map(|s| Sample { id: s.id, name: s.name }).collect();
        Catalog {
            samples,
            formats: chatframe_export::Format::ALL.iter().map(|f| f.as_str().to_string()).collect(),
            presets: chatframe_export::Preset::NAMES.iter().map(|s| s.to_string()).collect(),
            export_dir: self.export_folder().display().to_string(),
        }
    }

    /// Where the export dialog starts: the folder of the last export the user placed, else the
    /// default export folder.
    fn export_folder(&self) -> PathBuf {
        let remembered = lock(&self.studio).store().setting::<String>(EXPORT_FOLDER_KEY).ok().flatten();
        remembered.map_or_else(|| self.exports.dir().to_path_buf(), PathBuf::from)
    }

    /// The file name an export would get in `folder` (the dialog's folder) unless the user
    /// types another: the project's name, made unique there.
    pub fn suggest_export_name(&self, id: &str, format: &str, folder: Option<&str>) -> AppResult<String> {
        let format: chatframe_export::Format = format.parse()?;
        let name = lock(&self.studio).summary(id)?.meta.name;
        let folder = folder.filter(|f| !f.trim().is_empty()).map_or_else(|| self.export_folder(), PathBuf::from);
        Ok(self.exports.suggested_name(&name, format, Some(&folder)))
    }

    /// The library (`trash = false`), the trash, or search results when `query` is non-empty.
    pub fn list(&self, query: Option<&str>, trash: bool) -> AppResult<Vec<ProjectSummary>> {
        let mut studio = lock(&self.studio);
        Ok(match query.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => studio.search(q)?,
            None if trash => studio.list_trash()?,
            None => studio.list()?,
        })
    }

    pub fn create(&self, request: &CreateProject) -> AppResult<ProjectSummary> {
        lock(&self.studio).create(request)
    }

    pub fn rename(&self, id: &str, name: &str) -> AppResult<ProjectSummary> {
        // An open session would hold the old revision and refuse its next edit as a conflict:
        // edit through it when open, so both stay in step.
        if let Some(session) = self.open_session(id) {
            lock(&session).apply(EditOp::SetName { name: name.to_string() })?;
            self.stop_playback(id);
            return lock(&self.studio).summary(id);
        }
        lock(&self.studio).rename(id, name)
    }

    pub fn duplicate(&self, id: &str) -> AppResult<ProjectSummary> {
        lock(&self.studio).duplicate(id)
    }

    pub fn trash(&self, id: &str) -> AppResult<()> {
        self.close_project(id);
        lock(&self.studio).trash(id)
    }

    pub fn restore(&self, id: &str) -> AppResult<()> {
        lock(&self.studio).restore(id)
    }

    pub fn purge(&self, id: &str) -> AppResult<()> {
        self.close_project(id);
        lock(&self.studio).purge(id)
    }

    /// The poster PNG (rendered by the engine, cached per revision).
    pub fn poster(&self, id: &str) -> AppResult<Vec<u8>> {
        Ok(lock(&self.studio).poster(id)?.png)
    }

    fn open_session(&self, id: &str) -> Option<Arc<Mutex<Session>>> {
        lock(&self.sessions).get(id).cloned()
    }

    /// The session of `id`, opened on first use.
    fn session(&self, id: &str) -> AppResult<Arc<Mutex<Session>>> {
        if let Some(s) = self.open_session(id) {
            return Ok(s);
        }
        let studio = lock(&self.studio);
        // The editor asks for the first frame while the project opens: whichever request came
        // second waited for the library above and finds the session the first one opened.
        if let Some(s) = self.open_session(id) {
            return Ok(s);
        }
        let session = Arc::new(Mutex::new(studio.open_project(id)?));
        Ok(lock(&self.sessions).entry(id.to_string()).or_insert(session).clone())
    }

    /// Opens the project for editing (or returns the already open session's state). Without
    /// `markers` the state's marker list is empty (fetch it with [`App::markers`]).
    pub fn open_project(&self, id: &str, markers: bool) -> AppResult<SessionState> {
        let session = self.session(id)?;
        let session = lock(&*session);
        Ok(if markers { session.state() } else { session.state_without_markers() })
    }

    /// Closes the session; the next open re-reads the library (what another process wrote).
    pub fn close_project(&self, id: &str) {
        self.stop_playback(id);
        lock(&self.sessions).remove(id);
    }

    /// Every document change stops playback: what plays must be what is shown, and the next
    /// play mixes the new revision.
    fn stop_playback(&self, id: &str) {
        lock(&self.playback).stop(id);
    }

    pub fn apply(&self, id: &str, op: EditOp) -> AppResult<EditResult> {
        let result = lock(&*self.session(id)?).apply(op)?;
        self.stop_playback(id);
        Ok(result)
    }

    pub fn undo(&self, id: &str) -> AppResult<Option<EditResult>> {
        let result = lock(&*self.session(id)?).undo()?;
        self.stop_playback(id);
        Ok(result)
    }

    pub fn redo(&self, id: &str) -> AppResult<Option<EditResult>> {
        let result = lock(&*self.session(id)?).redo()?;
        self.stop_playback(id);
        Ok(result)
    }

    /// Plays the project's soundtrack from `from_us` (or from where it was). The soundtrack is
    /// mixed on the first play after each change; the reply carries the transport's state.
    pub fn play(&self, id: &str, from_us: Option<Micros>) -> AppResult<PlaybackState> {
        let track = lock(&*self.session(id)?).soundtrack()?;
        Ok(lock(&self.playback).play(track, from_us))
    }

    pub fn pause(&self, id: &str) -> PlaybackState {
        lock(&self.playback).pause(id)
    }

    /// Moves the play head (playing or paused) to `t` microseconds.
    pub fn seek_playback(&self, id: &str, t: Micros) -> PlaybackState {
        lock(&self.playback).seek(id, t)
    }

    /// Where playback is: the picture draws the frame at `positionUs`.
    pub fn playback(&self, id: &str) -> PlaybackState {
        lock(&self.playback).state_of(id)
    }

    pub fn markers(&self, id: &str) -> AppResult<Vec<Marker>> {
        Ok(lock(&*self.session(id)?).markers())
    }

    pub fn seek_to_message(&self, id: &str, message: &str) -> AppResult<Micros> {
        lock(&*self.session(id)?).seek_to_message(message)
    }

    pub fn frame(&self, id: &str, t: Micros, max_width: u32) -> AppResult<PreviewFrame> {
        lock(&*self.session(id)?).preview_frame(t, max_width)
    }

    /// Queues an export of the project as it is now; editing continues meanwhile.
    pub fn start_export(&self, id: &str, request: &ExportRequest) -> AppResult<ExportJob> {
        let (project, base) = match self.open_session(id) {
            Some(s) => {
                let s = lock(&s);
                (s.project().clone(), s.base_dir().to_path_buf())
            }
            None => (lock(&self.studio).document(id)?, self.library_dir.clone()),
        };
        let mut request = request.clone();
        let chosen = request.folder.clone().filter(|f| !f.trim().is_empty());
        if request.path.is_none() && chosen.is_none() {
            request.folder = Some(self.export_folder().display().to_string());
        }
        let voices = crate::is_voiced(&project).then(|| lock(&self.studio).voices().clone());
        let job = self.exports.enqueue(id, project, base, &request, voices)?;
        if let Some(folder) = chosen {
            // Remembered only once an export was queued there, so a mistyped folder is not.
            lock(&self.studio).store().set_setting(EXPORT_FOLDER_KEY, &folder)?;
        }
        Ok(job)
    }

    pub fn exports(&self) -> Vec<ExportJob> {
        self.exports.list()
    }

    pub fn cancel_export(&self, job: &str) -> AppResult<ExportJob> {
        self.exports.cancel(job)
    }

    /// Copies uploaded bytes (a photo, an avatar) into the library's media store and returns
    /// the `relPath` to put into the document. A webview cannot hand over a file path, so the
    /// bytes travel instead and take a short detour through a temp file the store copies from.
    pub fn add_media(&self, name: &str, bytes: &[u8]) -> AppResult<MediaInfo> {
        through_file(name, "upload.png", bytes, |path| lock(&self.studio).add_media(path))
    }

    /// Imports a `.chatframe.json` file or a `.chatframe` bundle from its bytes (a webview hands
    /// over bytes, not paths). Everything is validated before anything is written: a broken file
    /// fails with the model's JSON path and leaves the library as it was.
    pub fn import_bytes(&self, name: &str, bytes: &[u8]) -> AppResult<ProjectSummary> {
        through_file(name, "import.chatframe.json", bytes, |path| lock(&self.studio).import(path))
    }

    /// Writes the project to `path`: a bundle with its media when the name ends in `.chatframe`,
    /// else the document alone. Atomic: a failure leaves no partial file.
    pub fn export_file(&self, id: &str, path: &Path) -> AppResult<()> {
        lock(&self.studio).export_file(id, path)
    }

    /// The project file as bytes with a file name for it (`Name.chatframe.json` or
    /// `Name.chatframe`), for a browser download.
    pub fn export_bytes(&self, id: &str, bundle: bool) -> AppResult<(String, Vec<u8>)> {
        let summary = lock(&self.studio).summary(id)?;
        let file_name = project_file_name(&summary.meta.name, bundle);
        let (dir, path) = upload_path(&file_name, "project.chatframe")?;
        let result = self
            .export_file(id, &path)
            .and_then(|_| std::fs::read(&path).map_err(StudioError::io("cannot read the exported project", &path)));
        let _ = std::fs::remove_dir_all(&dir);
        Ok((file_name, result?))
    }

    /// Every voice on this machine, and the engines that are missing with how to install them.
    pub fn voices(&self) -> AppResult<VoiceCatalog> {
        let voices = lock(&self.studio).voices().clone();
        voices.catalog()
    }

    /// Speaks `text` with `voice` through the transport (the same output as playback), so the
    /// participant editor's play button sounds as the video will.
    pub fn play_voice_sample(&self, voice: &VoiceSettings, text: &str) -> AppResult<PlaybackState> {
        let voices = lock(&self.studio).voices().clone();
        let clip = voices.sample(voice, text)?;
        let track = Soundtrack::from_mono(VOICE_SAMPLE, &clip, voice.volume);
        Ok(lock(&self.playback).play(Arc::new(track), Some(0)))
    }

    /// Starts voicing every spoken line of the project in the background (or returns the job
    /// already running). Lines already in the cache are read, not spoken again.
    pub fn generate_voice(&self, id: &str) -> AppResult<VoiceJob> {
        let mut jobs = lock(&self.voice_jobs);
        if let Some(h) = jobs.get(id).filter(|h| lock(&h.job).state == VoiceJobState::Running) {
            return Ok(lock(&h.job).clone());
        }
        let project = lock(&*self.session(id)?).project().clone();
        let voices = lock(&self.studio).voices().clone();
        let handle = crate::voiceover::spawn_job(voices, id, project);
        let job = lock(&handle.job).clone();
        jobs.insert(id.to_string(), handle);
        Ok(job)
    }

    /// How the project's voice-over job is doing (`None`: none was started). Once it has ended,
    /// the open session picks up the new clips, so the editor's next state shows them.
    pub fn voice_job(&self, id: &str) -> AppResult<Option<VoiceJob>> {
        let mut jobs = lock(&self.voice_jobs);
        let Some(handle) = jobs.get_mut(id) else { return Ok(None) };
        let job = lock(&handle.job).clone();
        if job.state != VoiceJobState::Running && !handle.applied {
            handle.applied = true;
            if let Some(session) = self.open_session(id) {
                lock(&session).refresh_voice();
                self.stop_playback(id);
            }
        }
        Ok(Some(job))
    }

    /// Stops the project's voice-over job after the lines being spoken; those already made stay
    /// in the cache.
    pub fn cancel_voice(&self, id: &str) -> AppResult<Option<VoiceJob>> {
        if let Some(h) = lock(&self.voice_jobs).get(id) {
            h.cancel.cancel();
        }
        self.voice_job(id)
    }

    /// Shows an export's output in the desktop's file manager, or says why it cannot.
    pub fn reveal_export(&self, job: &str) -> AppResult<()> {
        crate::reveal(&self.exports.path_of(job)?)
    }
}

/// Hands `bytes` to `f` as a file named after `name` in a fresh private temp folder (the studio
/// copies from paths), and removes the folder afterwards, whatever `f` answered.
fn through_file<T>(name: &str, fallback: &str, bytes: &[u8], f: impl FnOnce(&Path) -> AppResult<T>) -> AppResult<T> {
    let (dir, path) = upload_path(name, fallback)?;
    let result = std::fs::write(&path, bytes)
        .map_err(StudioError::io("cannot write the uploaded file", &path))
        .and_then(|_| f(&path));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A fresh private temp folder and a path in it named after `name` (made safe), for bytes that
/// must pass through a file.
fn upload_path(name: &str, fallback: &str) -> AppResult<(PathBuf, PathBuf)> {
    let safe: String = name.chars().filter(|c| c.is_alphanumeric() || "._- ".contains(*c)).collect();
    let safe = safe.trim().trim_start_matches('.');
    let dir = std::env::temp_dir().join(format!("chatframe-upload-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).map_err(StudioError::io("cannot create a temp folder", &dir))?;
    let path = dir.join(if safe.is_empty() { fallback } else { safe });
    Ok((dir, path))
}

/// `My chat.chatframe.json` / `My chat.chatframe`: the project's name, without characters file
/// systems or a Content-Disposition header would choke on.
pub fn project_file_name(name: &str, bundle: bool) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    let clean = clean.trim().trim_matches('.');
    let stem = if clean.is_empty() { "project" } else { clean };
    format!("{stem}{}", if bundle { ".chatframe" } else { ".chatframe.json" })
}

/// `~/Videos/Chatframe`, where a creator looks for videos (the temp dir when there is no home).
fn default_export_dir() -> PathBuf {
    std::env::var_os("HOME").map_or_else(std::env::temp_dir, |h| PathBuf::from(h).join("Videos").join("Chatframe"))
}

/// Where the studio keeps its library unless told otherwise: `$XDG_DATA_HOME/chatframe` (or
/// `~/.local/share/chatframe`), shared by the desktop app and `chatframe api`.
pub fn default_library() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")));
    base.unwrap_or_else(std::env::temp_dir).join("chatframe").join("library.sqlite")
}

/// A samples folder to use instead of the embedded samples: `$CHATFRAME_SAMPLES` (development,
/// benchmarks). `None` gives [`App::open`] the samples compiled into the binary.
pub fn default_samples() -> Option<PathBuf> {
    std::env::var_os("CHATFRAME_SAMPLES").map(PathBuf::from)
}
