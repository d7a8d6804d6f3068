//! The export queue: one worker thread renders jobs in order (a 2-core machine gains nothing from
//! two encodes at once, and editing must stay responsive), each with progress, ETA and cancel.
//! A job exports the document as it was when queued, exactly as `chatframe render` would: the
//! export's timeline (voice notes measured) and its mixed soundtrack.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chatframe_export::{CancelToken, ExportOptions, Format, Preset};
use chatframe_model::Project;
use serde::{Deserialize, Serialize};

use crate::voiceover::{Voices, is_voiced};
use crate::{ErrorPayload, StudioError};

/// What to export. `format` is `mp4`, `webm`, `mov`, `gif`, `png`, `wav` or `srt`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub format: String,
    /// e.g. `9x16-1080p`; the project's canvas when absent.
    #[serde(default)]
    pub preset: Option<String>,
    #[serde(default)]
    pub fps: Option<u32>,
    /// The output file, as given (scripts). When absent the file goes in `folder` and is named
    /// `name`.
    #[serde(default)]
    pub path: Option<String>,
    /// The folder to write into (created if missing); the queue's export folder when absent.
    #[serde(default)]
    pub folder: Option<String>,
    /// The file name, with or without the format's extension; when absent, the project's name
    /// made unique in the folder (`Name 2.mp4`).
    #[serde(default)]
    pub name: Option<String>,
    /// Replace a file of that `name` that already exists; without it such a request fails with
    /// `FILE_EXISTS` and changes nothing.
    #[serde(default)]
    pub overwrite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ExportState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

/// An export as the UI shows it in the queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportJob {
    pub id: String,
    pub project_id: String,
    pub project_name: String,
    pub format: String,
    pub preset: Option<String>,
    pub path: String,
    pub state: ExportState,
    pub frames_done: u64,
    pub total_frames: u64,
    /// Seconds left at the rate so far; absent before the first frame.
    pub eta_seconds: Option<f64>,
    pub elapsed_seconds: f64,
    pub error: Option<ErrorPayload>,
}

struct Entry {
    job: ExportJob,
    cancel: CancelToken,
}

struct Work {
    id: String,
    project: Project,
    base: PathBuf,
    format: Format,
    out: PathBuf,
    cancel: CancelToken,
    /// Set when the project speaks: its lines are voiced (from the cache, synthesising any the
    /// user did not generate) before the first frame, so the video never lacks a line.
    voices: Option<Arc<Voices>>,
}

pub struct ExportQueue {
    jobs: Arc<Mutex<Vec<Entry>>>,
    tx: Mutex<Sender<Work>>,
    dir: PathBuf,
}

fn lock(m: &Mutex<Vec<Entry>>) -> std::sync::MutexGuard<'_, Vec<Entry>> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ExportQueue {
    /// Starts the worker; outputs without an explicit path go to `dir`.
    pub fn start(dir: PathBuf) -> ExportQueue {
        let jobs: Arc<Mutex<Vec<Entry>>> = Arc::default();
        let (tx, rx) = channel::<Work>();
        let shared = jobs.clone();
        std::thread::Builder::new()
            .name("export-queue".into())
            .spawn(move || {
                for work in rx {
                    run(&shared, work);
                }
            })
            .expect("spawn the export thread");
        ExportQueue { jobs, tx: Mutex::new(tx), dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn enqueue(
        &self,
        project_id: &str,
        mut project: Project,
        base: PathBuf,
        req: &ExportRequest,
        voices: Option<Arc<Voices>>,
    ) -> Result<ExportJob, StudioError> {
        let format: Format = req.format.parse()?;
        if let Some(p) = &req.preset {
            p.parse::<Preset>()?.apply(&mut project.canvas);
        }
        if let Some(fps) = req.fps {
            project.canvas.fps = fps;
        }
        let out = match &req.path {
            Some(p) => PathBuf::from(p),
            None => self.output_path(&project.name, format, req)?,
        };
        let id = format!("x{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let cancel = CancelToken::new();
        let job = ExportJob {
            id: id.clone(),
            project_id: project_id.to_string(),
            project_name: project.name.clone(),
            format: format.as_str().to_string(),
            preset: req.preset.clone(),
            path: out.display().to_string(),
            state: ExportState::Queued,
            frames_done: 0,
            total_frames: chatframe_export::timeline(&project, &base).frame_count(),
            eta_seconds: None,
            elapsed_seconds: 0.0,
            error: None,
        };
        lock(&self.jobs).push(Entry { job: job.clone(), cancel: cancel.clone() });
        let work = Work { id, project, base, format, out, cancel, voices };
        self.tx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(work)
            .expect("the export thread lives as long as the app");
        Ok(job)
    }

    /// Where a request without an explicit `path` writes: `name` in `folder`, or the project's
    /// name made unique there.
    fn output_path(&self, project_name: &str, format: Format, req: &ExportRequest) -> Result<PathBuf, StudioError> {
        let dir = match req.folder.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) if !Path::new(f).is_absolute() => return Err(StudioError::BadFolder { folder: f.to_string() }),
            Some(f) => PathBuf::from(f),
            None => self.dir.clone(),
        };
        std::fs::create_dir_all(&dir).map_err(StudioError::io("cannot create the export folder", &dir))?;
        let ext = if format == Format::PngSequence { String::new() } else { format!(".{}", format.as_str()) };
        let Some(name) = req.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            return self.unique_path(&dir, &file_stem(project_name), &ext);
        };
        if name.contains(['/', '\\']) || name == "." || name == ".." || name.chars().any(char::is_control) {
            return Err(StudioError::BadFileName { name: name.to_string() });
        }
        let path = dir.join(if ext.is_empty() || name.to_lowercase().ends_with(&ext) {
            name.to_string()
        } else {
            format!("{name}{ext}")
        });
        let queued = lock(&self.jobs).iter().any(|e| e.job.path == path.display().to_string() && !e.job.state.ended());
        if queued {
            return Err(StudioError::AlreadyQueued { path });
        }
        if path.exists() && !req.overwrite {
            return Err(StudioError::FileExists { path });
        }
        Ok(path)
    }

    /// `<dir>/<stem><ext>`, or `<stem> 2<ext>`, ... : the first name neither on disk nor queued.
    fn unique_path(&self, dir: &Path, stem: &str, ext: &str) -> Result<PathBuf, StudioError> {
        let taken: Vec<String> = lock(&self.jobs).iter().map(|e| e.job.path.clone()).collect();
        (1..10_000)
            .map(|n| if n == 1 { dir.join(format!("{stem}{ext}")) } else { dir.join(format!("{stem} {n}{ext}")) })
            .find(|p| !p.exists() && !taken.contains(&p.display().to_string()))
            .ok_or_else(|| StudioError::op(format!("no free output name for {stem:?} in {}", dir.display())))
    }

    /// The name an export of `project_name` would get in `folder` (the queue's folder when
    /// `None`) if the user does not choose one: what the export dialog suggests.
    pub fn suggested_name(&self, project_name: &str, format: Format, folder: Option<&Path>) -> String {
        let dir = folder.unwrap_or(&self.dir);
        let ext = if format == Format::PngSequence { String::new() } else { format!(".{}", format.as_str()) };
        self.unique_path(dir, &file_stem(project_name), &ext)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| format!("{}{ext}", file_stem(project_name)))
    }

    pub fn list(&self) -> Vec<ExportJob> {
        lock(&self.jobs).iter().map(|e| e.job.clone()).collect()
    }

    /// Cancels a queued job at once, a running one at its next frame (no file is left behind).
    pub fn cancel(&self, id: &str) -> Result<ExportJob, StudioError> {
        let mut jobs = lock(&self.jobs);
        let entry = jobs
            .iter_mut()
            .find(|e| e.job.id == id)
            .ok_or_else(|| StudioError::NotFound { what: format!("export {id}") })?;
        entry.cancel.cancel();
        if entry.job.state == ExportState::Queued {
            entry.job.state = ExportState::Cancelled;
        }
        Ok(entry.job.clone())
    }

    /// The output path of a job (to show it in the file manager).
    pub fn path_of(&self, id: &str) -> Result<PathBuf, StudioError> {
        lock(&self.jobs)
            .iter()
            .find(|e| e.job.id == id)
            .map(|e| PathBuf::from(&e.job.path))
            .ok_or_else(|| StudioError::NotFound { what: format!("export {id}") })
    }
}

/// A project name as a file name: what file systems accept, `chatframe` when nothing is left.
fn file_stem(name: &str) -> String {
    let stem: String = name.chars().map(|c| if c.is_alphanumeric() || " -_".contains(c) { c } else { '_' }).collect();
    let stem = stem.trim();
    if stem.is_empty() { "chatframe".to_string() } else { stem.to_string() }
}

impl ExportState {
    /// Done, failed or cancelled: the job holds its output path no longer.
    pub fn ended(self) -> bool {
        matches!(self, ExportState::Done | ExportState::Failed | ExportState::Cancelled)
    }
}

fn update(jobs: &Mutex<Vec<Entry>>, id: &str, f: impl FnOnce(&mut ExportJob)) {
    if let Some(e) = lock(jobs).iter_mut().find(|e| e.job.id == id) {
        f(&mut e.job);
    }
}

fn encode(jobs: &Mutex<Vec<Entry>>, work: &Work) -> Result<chatframe_export::ExportSummary, StudioError> {
    if let Some(dir) = work.out.parent() {
        std::fs::create_dir_all(dir).map_err(StudioError::io("cannot create the output folder", dir))?;
    }
    // The same preparation as `chatframe render`: the export's timeline and, for formats with
    // sound, the mixed soundtrack.
    let voice: Box<dyn chatframe_audio::VoiceClips> = match &work.voices {
        Some(v) if is_voiced(&work.project) => Box::new(v.generate(&work.project, &work.cancel, None)?),
        _ => Box::new(chatframe_audio::NoVoice),
    };
    let (mut renderer, audio) =
        chatframe_export::prepare_with_voice(work.project.clone(), &work.base, work.format.has_audio(), &*voice)?;
    let mut opts = ExportOptions::new(work.format);
    opts.cancel = work.cancel.clone();
    opts.audio = audio;
    let mut last: Option<Instant> = None;
    let summary = chatframe_export::export(&mut renderer, &work.out, opts, &mut |p| {
        // Progress is polled by the UI; a few updates a second are plenty and keep the lock cold.
        if last.is_none_or(|t| t.elapsed() >= Duration::from_millis(100)) || p.frames_done == p.total_frames {
            last = Some(Instant::now());
            update(jobs, &work.id, |j| {
                j.frames_done = p.frames_done;
                j.total_frames = p.total_frames;
                j.eta_seconds = p.eta.map(|d| d.as_secs_f64());
                j.elapsed_seconds = p.elapsed.as_secs_f64();
            });
        }
    })?;
    Ok(summary)
}

fn run(jobs: &Mutex<Vec<Entry>>, work: Work) {
    if work.cancel.is_cancelled() {
        return;
    }
    let started = Instant::now();
    update(jobs, &work.id, |j| j.state = ExportState::Running);
    let result = encode(jobs, &work);
    update(jobs, &work.id, |j| {
        j.elapsed_seconds = started.elapsed().as_secs_f64();
        j.eta_seconds = None;
        match result {
            Ok(summary) => {
                j.state = ExportState::Done;
                j.frames_done = summary.frames;
                j.total_frames = summary.frames;
            }
            Err(_) if work.cancel.is_cancelled() => j.state = ExportState::Cancelled,
            Err(e) => {
                tracing::warn!(job = %j.id, error = %e, "export failed");
                j.state = ExportState::Failed;
                j.error = Some(ErrorPayload::from(&e));
            }
        }
    });
}
