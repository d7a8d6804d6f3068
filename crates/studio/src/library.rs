//! The library: every project the user has, with posters, trash and search.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chatframe_audio::MediaLengths;
use chatframe_model::{
    Avatar, Color, Participant, Project, SCHEMA_VERSION, Side, Timeline, parse_project, starter_project,
};
use chatframe_render::Renderer;
use chatframe_store::{DocUpdate, JournalStep, MediaInfo, NewProject, ProjectSummary, Store, StoreOptions};
use chatframe_voice::ClipCache;
use serde::{Deserialize, Serialize};

use crate::preview::preview_project;
use crate::voiceover::{LazyVoices, Voices};
use crate::{Session, StudioError, project_meta};

/// Posters are rendered no wider than this: a library card, sharp on a HiDPI screen.
pub const POSTER_MAX_WIDTH: u32 = 270;

/// What a new project starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Template {
    /// Two participants, no messages.
    Blank,
    /// The short conversation `chatframe new` writes.
    Starter,
    /// A sample project from the samples folder (`<name>.chatframe.json`).
    Sample { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateProject {
    /// Defaults to the template's name ("Untitled" for a blank project).
    #[serde(default)]
    pub name: Option<String>,
    pub template: Template,
}

/// A poster thumbnail (PNG), rendered by the engine from the project's last frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Poster {
    #[serde(skip)]
    pub png: Vec<u8>,
    /// The project revision it shows.
    pub revision: u64,
}

/// The studio library. Cheap to open; each [`Session`] gets its own connection to the same file.
pub struct Studio {
    pub(crate) store: Store,
    options: StoreOptions,
    samples_dir: Option<PathBuf>,
    /// The speech engines and clip cache every session of this library shares.
    voices: Arc<LazyVoices>,
}

/// A sample project the library offers to start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleInfo {
    /// What [`Template::Sample`] takes: the file's name without `.chatframe.json`.
    pub id: String,
    /// The project's own name, as the library shows it.
    pub name: String,
}

impl std::fmt::Debug for Studio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Studio").field("library", &self.store.path()).finish_non_exhaustive()
    }
}

impl Studio {
    /// Opens (creating if needed) the library database at `library_path`; media files live in
    /// `media/` beside it.
    pub fn open(library_path: &Path) -> Result<Studio, StudioError> {
        Self::open_with(library_path, StoreOptions::default())
    }

    pub fn open_with(library_path: &Path, options: StoreOptions) -> Result<Studio, StudioError> {
        let store = Store::open_with(library_path, &options)?;
        let samples_dir = std::env::var_os("CHATFRAME_SAMPLES").map(PathBuf::from);
        // The user's clip cache, shared with `chatframe render --voice-over`: a line voiced in
        // either is never synthesised again by the other.
        let cache = ClipCache::default_dir().unwrap_or_else(|| store.library_dir().join("voice-cache"));
        Ok(Studio { store, options, samples_dir, voices: Arc::new(LazyVoices::new(cache)) })
    }

    /// Keeps voice-over clips in `dir` instead of the user's cache (tests, portable libraries).
    pub fn set_voice_cache(&mut self, dir: impl Into<PathBuf>) {
        self.voices = Arc::new(LazyVoices::new(dir.into()));
    }

    /// The speech engines (looked for on first use) and the clip cache.
    pub fn voices(&self) -> &Arc<Voices> {
        self.voices.get()
    }

    /// Where [`Template::Sample`] looks (default: `$CHATFRAME_SAMPLES`; the shell sets the
    /// bundled `assets/samples`).
    pub fn set_samples_dir(&mut self, dir: impl Into<PathBuf>) {
        self.samples_dir = Some(dir.into());
    }

    /// The available samples (sorted by id): the id to create one from ([`Template::Sample`])
    /// and the title its document carries, which is what the library shows. A file that does
    /// not parse is left out rather than offered and then refused.
    pub fn samples(&self) -> Vec<SampleInfo> {
        #[derive(serde::Deserialize)]
        struct Title {
            name: String,
        }
        let Some(dir) = &self.samples_dir else { return Vec::new() };
        let mut samples: Vec<SampleInfo> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let id = e.file_name().to_str()?.strip_suffix(".chatframe.json")?.to_string();
                let title: Title = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
                Some(SampleInfo { id, name: title.name })
            })
            .collect();
        samples.sort_by(|a, b| a.id.cmp(&b.id));
        samples
    }

    /// Direct access for what the studio API does not wrap (settings, sync queue).
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn library_dir(&self) -> PathBuf {
        self.store.library_dir()
    }

    pub fn list(&self) -> Result<Vec<ProjectSummary>, StudioError> {
        Ok(self.store.list_projects()?)
    }

    pub fn list_trash(&self) -> Result<Vec<ProjectSummary>, StudioError> {
        Ok(self.store.list_trash()?)
    }

    /// Projects whose name or message text contains every word of `query` (as word prefixes).
    pub fn search(&mut self, query: &str) -> Result<Vec<ProjectSummary>, StudioError> {
        Ok(self.store.search(query, 200)?)
    }

    pub fn summary(&self, id: &str) -> Result<ProjectSummary, StudioError> {
        Ok(self.store.summary(id)?)
    }

    /// The current document of a project (as of its last acknowledged edit).
    pub fn document(&self, id: &str) -> Result<Project, StudioError> {
        Ok(parse_project(self.store.project(id)?.document.as_bytes())?)
    }

    pub fn create(&mut self, request: &CreateProject) -> Result<ProjectSummary, StudioError> {
        let mut project = match &request.template {
            Template::Blank => blank_project(),
            Template::Starter => starter_project("Snow day"),
            Template::Sample { name } => return self.create_from_sample(name, request.name.as_deref()),
        };
        if let Some(name) = &request.name {
            project.name = name.clone();
        }
        self.insert(project, None)
    }

    fn create_from_sample(&mut self, name: &str, rename: Option<&str>) -> Result<ProjectSummary, StudioError> {
        let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        let path = self.samples_dir.as_ref().filter(|_| valid).map(|d| d.join(format!("{name}.chatframe.json")));
        let Some(path) = path.filter(|p| p.is_file()) else {
            return Err(StudioError::NoSample { name: name.to_string() });
        };
        let summary = self.import(&path)?;
        match rename {
            Some(n) => self.rename(&summary.id, n),
            None => Ok(summary),
        }
    }

    /// Adds a document as a new project with a fresh id (the document's `id` is set to it).
    pub(crate) fn insert(
        &mut self,
        mut project: Project,
        poster: Option<&[u8]>,
    ) -> Result<ProjectSummary, StudioError> {
        project.id = uuid::Uuid::new_v4().to_string();
        if project.name.trim().is_empty() {
            project.name = "Untitled".into();
        }
        project.validate()?;
        let meta = project_meta(&project, &self.timeline_of(&project));
        let document = serde_json::to_string(&project).expect("documents serialize");
        Ok(self.store.create_project(&NewProject { id: &project.id, document: &document, meta: &meta, poster })?)
    }

    /// Renames a project from the library. An open session of it will report a conflict on its
    /// next edit; while editing, rename with [`crate::EditOp::SetName`] instead.
    pub fn rename(&mut self, id: &str, name: &str) -> Result<ProjectSummary, StudioError> {
        let record = self.store.project(id)?;
        let mut project = parse_project(record.document.as_bytes())?;
        crate::apply::apply(&mut project, crate::EditOp::SetName { name: name.to_string() }, &mut Default::default())?;
        let meta = project_meta(&project, &self.timeline_of(&project));
        let document = serde_json::to_string(&project).expect("documents serialize");
        let update = DocUpdate { document: &document, meta: &meta };
        self.store.commit(id, record.summary.revision, &update, JournalStep::None)?;
        Ok(self.store.summary(id)?)
    }

    /// Copies a project (document and poster, not its undo history) as "<name> copy".
    pub fn duplicate(&mut self, id: &str) -> Result<ProjectSummary, StudioError> {
        let mut project = self.document(id)?;
        project.name = format!("{} copy", project.name);
        let poster = self.store.poster(id)?.map(|(png, _)| png);
        self.insert(project, poster.as_deref())
    }

    /// Moves a project to the trash; [`Studio::restore`] brings it back.
    pub fn trash(&mut self, id: &str) -> Result<(), StudioError> {
        Ok(self.store.trash(id)?)
    }

    pub fn restore(&mut self, id: &str) -> Result<(), StudioError> {
        Ok(self.store.restore(id)?)
    }

    /// Deletes a trashed (or any) project for good.
    pub fn purge(&mut self, id: &str) -> Result<(), StudioError> {
        Ok(self.store.purge(id)?)
    }

    pub fn empty_trash(&mut self) -> Result<usize, StudioError> {
        Ok(self.store.empty_trash(i64::MAX)?)
    }

    /// Opens an editing session with its own connection to the library.
    pub fn open_project(&self, id: &str) -> Result<Session, StudioError> {
        let store = Store::open_with(self.store.path(), &self.options)?;
        Session::open(store, id, self.voices.clone())
    }

    /// The project's poster, rendered by the engine on first request after each change and
    /// cached in the library (so the grid pays for rendering once per revision).
    pub fn poster(&mut self, id: &str) -> Result<Poster, StudioError> {
        let summary = self.store.summary(id)?;
        if let Some((png, revision)) = self.store.poster(id)?
            && revision == summary.revision
        {
            return Ok(Poster { png, revision });
        }
        let project = self.document(id)?;
        let png = render_poster(project, &self.store.library_dir())?;
        self.store.set_poster(id, &png, summary.revision)?;
        Ok(Poster { png, revision: summary.revision })
    }

    /// The timeline an export of `project` would have (voice notes held as long as they play),
    /// so the library shows the length the video will have.
    fn timeline_of(&self, project: &Project) -> Timeline {
        Timeline::build_with(project, &MediaLengths::new(self.store.library_dir()))
    }

    /// Copies an image or audio file into the library's media store; put the returned
    /// `relPath` into the document (message media, avatar, music).
    pub fn add_media(&mut self, path: &Path) -> Result<MediaInfo, StudioError> {
        Ok(self.store.import_media_file(path)?)
    }
}

/// The library card is 9:14 (cropped to cover). A portrait project is drawn `POSTER_MAX_WIDTH`
/// wide. A wider canvas (16:9, 1:1: a phone on a stage) is drawn at the size where a 9:14 window
/// around the phone is `POSTER_MAX_WIDTH` wide, and cropped to that window: scaled down whole,
/// the phone of a 16:9 poster would be a quarter of the card's width and unreadable.
fn render_poster(project: Project, base: &Path) -> Result<Vec<u8>, StudioError> {
    let timeline = Timeline::build_with(&project, &MediaLengths::new(base));
    let (w, h) = (project.canvas.width, project.canvas.height);
    let card_h = POSTER_MAX_WIDTH * 14 / 9;
    let wide = u64::from(w) * 14 > u64::from(h) * 9;
    let scaled = if wide {
        let mut p = project.clone();
        p.canvas.height = card_h;
        p.canvas.width = ((u64::from(w) * u64::from(card_h) / u64::from(h)) as u32 + 1) & !1;
        p
    } else {
        preview_project(&project, POSTER_MAX_WIDTH)
    };
    let mut renderer = Renderer::with_timeline(scaled, timeline, base)?;
    // The last frame: the whole conversation as it ends, the most telling still.
    let t = (renderer.timeline().duration - 1).max(0);
    let frame = renderer.render(t);
    let poster_error = |message: String| StudioError::Poster { message };
    let png = if wide {
        let x = (frame.width() - POSTER_MAX_WIDTH) / 2;
        let rect = tiny_skia::IntRect::from_xywh(x as i32, 0, POSTER_MAX_WIDTH, card_h)
            .ok_or_else(|| poster_error(format!("cannot crop {}x{} to the card", frame.width(), frame.height())))?;
        let card = frame.clone_rect(rect).ok_or_else(|| poster_error("empty poster crop".into()))?;
        card.encode_png()
    } else {
        frame.encode_png()
    };
    png.map_err(|e| poster_error(e.to_string()))
}

fn blank_project() -> Project {
    Project {
        schema_version: SCHEMA_VERSION,
        id: String::new(),
        name: "Untitled".into(),
        canvas: Default::default(),
        theme: Default::default(),
        participants: vec![
            Participant { id: "me".into(), name: "Me".into(), side: Side::Me, avatar: None, color: None, voice: None },
            Participant {
                id: "alex".into(),
                name: "Alex".into(),
                side: Side::Them,
                avatar: Some(Avatar::Initials { initials: "A".into(), color: Color::hex(0x5e5ce6) }),
                color: None,
                voice: None,
            },
        ],
        messages: Vec::new(),
        audio: Default::default(),
        timing: Default::default(),
    }
}
