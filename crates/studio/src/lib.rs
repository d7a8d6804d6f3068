//! The one application API of the Chatframe studio. The desktop shell (src-tauri), the CLI and
//! the local automation API (`chatframe api`) are thin layers over this crate: the document lives
//! here, never in a UI.
//!
//! - [`Studio`]: the library (list with posters, create, rename, duplicate, trash, search,
//!   import/export of `.chatframe.json` files and `.chatframe` bundles, media, settings).
//! - [`Session`]: one open project: [`EditOp`]s with validation, persistence before
//!   acknowledgement, undo/redo that survives restarts, preview frames and timeline markers.
//! - [`ExportQueue`]: exports in the background, one at a time, with progress, ETA and cancel,
//!   while editing continues.
//! - [`Playback`]: the soundtrack through the audio device, its clock driving the preview.
//! - [`App`]: all of the above as one value, the API the desktop app's commands, the local
//!   automation API (`chatframe api`) and the CLI call.

mod app;
mod apply;
mod error;
mod exports;
mod files;
mod library;
mod ops;
mod playback;
mod preview;
mod reveal;
mod samples;
mod session;
mod voiceover;

pub use app::{App, AppResult, Catalog, Sample, default_library, default_samples, project_file_name};
pub use chatframe_model as model;
pub use chatframe_store::{MediaInfo, ProjectMeta, ProjectSummary, StoreOptions, Synchronous};
pub use error::{ErrorPayload, StudioError, error_codes, transport};
pub use exports::{ExportJob, ExportQueue, ExportRequest, ExportState};
pub use library::{CreateProject, Poster, SampleInfo, Studio, Template};
pub use ops::{Changes, EditOp, MessageAt};
pub use playback::{AUDIO_ENV, AudioOutput, Playback, PlaybackState, Soundtrack};
pub use preview::{PreviewFrame, encode_frame};
pub use reveal::reveal;
pub use session::{EditResult, Marker, Session, SessionState};
pub use voiceover::{
    MissingEngine, VoiceCatalog, VoiceJob, VoiceJobState, VoiceOption, VoiceProblem, VoiceStatus, Voices, is_voiced,
};

use chatframe_model::{Project, Timeline};

/// The library grid's view of a document, written with every change.
pub(crate) fn project_meta(project: &Project, timeline: &Timeline) -> ProjectMeta {
    ProjectMeta {
        name: project.name.clone(),
        platform: project.theme.platform.as_str().to_string(),
        appearance: match project.theme.appearance {
            chatframe_model::Appearance::Light => "light",
            chatframe_model::Appearance::Dark => "dark",
        }
        .to_string(),
        message_count: project.messages.len() as u32,
        duration_us: timeline.duration,
    }
}
