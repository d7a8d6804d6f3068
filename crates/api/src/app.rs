//! The state both front doors (HTTP here, Tauri IPC in src-tauri) share: the library, the open
//! editing sessions and the export queue. Every method is blocking (SQLite, rendering); async
//! callers run them on a blocking thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chatframe_model::Micros;
use chatframe_studio::{
    CreateProject, EditOp, EditResult, ErrorPayload, ExportJob, ExportQueue, ExportRequest, Marker, MediaInfo,
    Playback, PlaybackState, PreviewFrame, ProjectSummary, Session, SessionState, Studio, StudioError,
};
use serde::{Deserialize, Serialize};

/// An error as callers see it: a stable code, a message, and the HTTP status it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub payload: ErrorPayload,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, payload: ErrorPayload { code: code.into(), message: message.into() } }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "NOT_FOUND", message)
    }
}

impl From<StudioError> for ApiError {
    fn from(e: StudioError) -> Self {
        use chatframe_model::ErrorKind;
        let status = match e.kind() {
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Invalid => 422,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        };
        ApiError { status, payload: ErrorPayload::from(&e) }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.payload.code, self.payload.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

/// The library setting holding the folder of the last export the user placed.
const EXPORT_FOLDER_KEY: &str = "exportFolder";

/// What the library view needs besides the projects: samples to start from and export choices.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub samples: Vec<Sample>,
    pub formats: Vec<String>,
    pub presets: Vec<String>,
    /// Where exports go when a request names no path.
    pub export_dir: String,
}

/// A sample project to start from: `id` for [`chatframe_studio::Template::Sample`], `name` to show.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves consistent data here (every write is one call into
    // the studio, which is itself all-or-nothing), so keep serving rather than poisoning forever.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    /// Opens (creating if needed) the library at `library` (an SQLite file). Samples come from
    /// `samples`, or else from the binary (written to `samples/` beside the library).
    pub fn open(library: &Path, samples: Option<PathBuf>, export_dir: Option<PathBuf>) -> ApiResult<Arc<App>> {
        if let Some(dir) = library.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ApiError::new(500, "IO_ERROR", format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut studio = Studio::open(library)?;
        let samples = match samples {
            Some(dir) => dir,
            None => {
                let dir = studio.library_dir().join("samples");
                crate::samples::install(&dir)
                    .map_err(|e| ApiError::new(500, "IO_ERROR", format!("cannot write {}: {e}", dir.display())))?
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
    pub fn suggest_export_name(&self, id: &str, format: &str, folder: Option<&str>) -> ApiResult<String> {
        let format: chatframe_export::Format = format.parse().map_err(StudioError::from)?;
        let name = lock(&self.studio).summary(id)?.meta.name;
        let folder = folder.filter(|f| !f.trim().is_empty()).map_or_else(|| self.export_folder(), PathBuf::from);
        Ok(self.exports.suggested_name(&name, format, Some(&folder)))
    }

    /// The library (`trash = false`), the trash, or search results when `query` is non-empty.
    pub fn list(&self, query: Option<&str>, trash: bool) -> ApiResult<Vec<ProjectSummary>> {
        let mut studio = lock(&self.studio);
        Ok(match query.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => studio.search(q)?,
            None if trash => studio.list_trash()?,
            None => studio.list()?,
        })
    }

    pub fn create(&self, request: &CreateProject) -> ApiResult<ProjectSummary> {
        Ok(lock(&self.studio).create(request)?)
    }

    pub fn rename(&self, id: &str, name: &str) -> ApiResult<ProjectSummary> {
        // An open session would hold the old revision and refuse its next edit as a conflict:
        // edit through it when open, so both stay in step.
        if let Some(session) = self.open_session(id) {
            lock(&session).apply(EditOp::SetName { name: name.to_string() })?;
            self.stop_playback(id);
            return Ok(lock(&self.studio).summary(id)?);
        }
        Ok(lock(&self.studio).rename(id, name)?)
    }

    pub fn duplicate(&self, id: &str) -> ApiResult<ProjectSummary> {
        Ok(lock(&self.studio).duplicate(id)?)
    }

    pub fn trash(&self, id: &str) -> ApiResult<()> {
        self.close_project(id);
        Ok(lock(&self.studio).trash(id)?)
    }

    pub fn restore(&self, id: &str) -> ApiResult<()> {
        Ok(lock(&self.studio).restore(id)?)
    }

    pub fn purge(&self, id: &str) -> ApiResult<()> {
        self.close_project(id);
        Ok(lock(&self.studio).purge(id)?)
    }

    /// The poster PNG (rendered by the engine, cached per revision).
    pub fn poster(&self, id: &str) -> ApiResult<Vec<u8>> {
        Ok(lock(&self.studio).poster(id)?.png)
    }

    fn open_session(&self, id: &str) -> Option<Arc<Mutex<Session>>> {
        lock(&self.sessions).get(id).cloned()
    }

    /// The session of `id`, opened on first use.
    fn session(&self, id: &str) -> ApiResult<Arc<Mutex<Session>>> {
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
    pub fn open_project(&self, id: &str, markers: bool) -> ApiResult<SessionState> {
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

    pub fn apply(&self, id: &str, op: EditOp) -> ApiResult<EditResult> {
        let result = lock(&*self.session(id)?).apply(op)?;
        self.stop_playback(id);
        Ok(result)
    }

    pub fn undo(&self, id: &str) -> ApiResult<Option<EditResult>> {
        let result = lock(&*self.session(id)?).undo()?;
        self.stop_playback(id);
        Ok(result)
    }

    pub fn redo(&self, id: &str) -> ApiResult<Option<EditResult>> {
        let result = lock(&*self.session(id)?).redo()?;
        self.stop_playback(id);
        Ok(result)
    }

    /// Plays the project's soundtrack from `from_us` (or from where it was). The soundtrack is
    /// mixed on the first play after each change; the reply carries the transport's state.
    pub fn play(&self, id: &str, from_us: Option<Micros>) -> ApiResult<PlaybackState> {
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

    pub fn markers(&self, id: &str) -> ApiResult<Vec<Marker>> {
        Ok(lock(&*self.session(id)?).markers())
    }

    pub fn seek_to_message(&self, id: &str, message: &str) -> ApiResult<Micros> {
        Ok(lock(&*self.session(id)?).seek_to_message(message)?)
    }

    pub fn frame(&self, id: &str, t: Micros, max_width: u32) -> ApiResult<PreviewFrame> {
        Ok(lock(&*self.session(id)?).preview_frame(t, max_width)?)
    }

    /// Queues an export of the project as it is now; editing continues meanwhile.
    pub fn start_export(&self, id: &str, request: &ExportRequest) -> ApiResult<ExportJob> {
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
        let job = self.exports.enqueue(id, project, base, &request)?;
        if let Some(folder) = chosen {
            // Remembered only once an export was queued there, so a mistyped folder is not.
            lock(&self.studio).store().set_setting(EXPORT_FOLDER_KEY, &folder).map_err(StudioError::from)?;
        }
        Ok(job)
    }

    pub fn exports(&self) -> Vec<ExportJob> {
        self.exports.list()
    }

    pub fn cancel_export(&self, job: &str) -> ApiResult<ExportJob> {
        Ok(self.exports.cancel(job)?)
    }

    /// Copies uploaded bytes (a photo, an avatar) into the library's media store and returns
    /// the `relPath` to put into the document. A webview cannot hand over a file path, so the
    /// bytes travel instead and take a short detour through a temp file the store copies from.
    pub fn add_media(&self, name: &str, bytes: &[u8]) -> ApiResult<MediaInfo> {
        through_file(name, "upload.png", bytes, |path| Ok(lock(&self.studio).add_media(path)?))
    }

    /// Imports a `.chatframe.json` file or a `.chatframe` bundle from its bytes (a webview hands
    /// over bytes, not paths). Everything is validated before anything is written: a broken file
    /// fails with the model's JSON path and leaves the library as it was.
    pub fn import_bytes(&self, name: &str, bytes: &[u8]) -> ApiResult<ProjectSummary> {
        through_file(name, "import.chatframe.json", bytes, |path| Ok(lock(&self.studio).import(path)?))
    }

    /// Writes the project to `path`: a bundle with its media when the name ends in `.chatframe`,
    /// else the document alone. Atomic: a failure leaves no partial file.
    pub fn export_file(&self, id: &str, path: &Path) -> ApiResult<()> {
        Ok(lock(&self.studio).export_file(id, path)?)
    }

    /// The project file as bytes with a file name for it (`Name.chatframe.json` or
    /// `Name.chatframe`), for a browser download.
    pub fn export_bytes(&self, id: &str, bundle: bool) -> ApiResult<(String, Vec<u8>)> {
        let summary = lock(&self.studio).summary(id)?;
        let file_name = project_file_name(&summary.meta.name, bundle);
        let (dir, path) = upload_path(&file_name, "project.chatframe")?;
        let result = self.export_file(id, &path).and_then(|_| {
            std::fs::read(&path).map_err(|e| ApiError::new(500, "IO_ERROR", format!("{e}: {}", path.display())))
        });
        let _ = std::fs::remove_dir_all(&dir);
        Ok((file_name, result?))
    }

    /// Shows an export's output in the desktop's file manager, or says why it cannot.
    pub fn reveal_export(&self, job: &str) -> ApiResult<()> {
        Ok(chatframe_studio::reveal(&self.exports.path_of(job)?)?)
    }
}

/// Hands `bytes` to `f` as a file named after `name` in a fresh private temp folder (the studio
/// copies from paths), and removes the folder afterwards, whatever `f` answered.
fn through_file<T>(name: &str, fallback: &str, bytes: &[u8], f: impl FnOnce(&Path) -> ApiResult<T>) -> ApiResult<T> {
    let (dir, path) = upload_path(name, fallback)?;
    let result = std::fs::write(&path, bytes)
        .map_err(|e| ApiError::new(500, "IO_ERROR", format!("{e}: {}", path.display())))
        .and_then(|_| f(&path));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A fresh private temp folder and a path in it named after `name` (made safe), for bytes that
/// must pass through a file.
fn upload_path(name: &str, fallback: &str) -> ApiResult<(PathBuf, PathBuf)> {
    let safe: String = name.chars().filter(|c| c.is_alphanumeric() || "._- ".contains(*c)).collect();
    let safe = safe.trim().trim_start_matches('.');
    let dir = std::env::temp_dir().join(format!("chatframe-upload-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).map_err(|e| ApiError::new(500, "IO_ERROR", format!("{e}: {}", dir.display())))?;
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

/// A preview frame as it travels (HTTP body, WebSocket message, IPC response): a 16-byte header
/// (width u32 LE, height u32 LE, time in µs i64 LE) then straight RGBA8 rows. One buffer, no JSON.
pub fn encode_frame(frame: &PreviewFrame) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + frame.rgba.len());
    out.extend_from_slice(&frame.width.to_le_bytes());
    out.extend_from_slice(&frame.height.to_le_bytes());
    out.extend_from_slice(&frame.time_us.to_le_bytes());
    out.extend_from_slice(&frame.rgba);
    out
}
