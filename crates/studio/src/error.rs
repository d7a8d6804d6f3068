use std::path::PathBuf;

use chatframe_model::ModelError;
use chatframe_render::RenderError;
use chatframe_store::StoreError;

/// Every way a studio call can fail. Each carries a stable [`StudioError::code`] for the UI and
/// scripts; the message names the field or file and the problem. A failed call changes nothing.
#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    /// The edit makes no sense for the current document (unknown id, index out of range).
    #[error("{message}")]
    InvalidOp { message: String },
    /// The edit would produce an invalid project; the model names the field (`messages[3].sender`).
    #[error("edit refused: {0}")]
    InvalidEdit(#[source] ModelError),
    /// A project file or bundle could not be imported.
    #[error("{0}")]
    Model(#[from] ModelError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The soundtrack could not be mixed (a missing or undecodable sound or music file).
    #[error("{0}")]
    Audio(#[from] chatframe_audio::AudioError),
    #[error("preview: {0}")]
    Render(#[from] RenderError),
    #[error("project {id:?} is in the trash; restore it to open it")]
    Trashed { id: String },
    #[error("{what}: {source}: {}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{message}: {}", path.display())]
    Bundle { message: String, path: PathBuf },
    #[error("cannot encode the poster: {message}")]
    Poster { message: String },
    #[error("no sample named {name:?}")]
    NoSample { name: String },
    /// An export could not be queued or failed (bad format or preset, ffmpeg missing, ...).
    #[error("{0}")]
    Export(#[from] chatframe_export::ExportError),
    #[error("no {what}")]
    NotFound { what: String },
    /// An export folder that is not a full path.
    #[error("the export folder must be a full path (starting with /), not {folder:?}")]
    BadFolder { folder: String },
    /// An export file name with a folder (or nothing) in it.
    #[error("the file name {name:?} must not contain a folder: choose the folder separately")]
    BadFileName { name: String },
    /// The chosen export file exists and the request did not ask to replace it.
    #[error("a file of that name already exists: {}", path.display())]
    FileExists { path: PathBuf },
    /// An export to the same file is queued or running.
    #[error("an export to this file is already in the queue: {}", path.display())]
    AlreadyQueued { path: PathBuf },
    /// No file manager answered "show this file" (a desktop without one, or none at all).
    #[error("no file manager answered to show the file; it is at {}", path.display())]
    RevealUnavailable { path: PathBuf },
}

impl StudioError {
    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            StudioError::InvalidOp { .. } => "INVALID_OP",
            StudioError::InvalidEdit(_) => "INVALID_EDIT",
            StudioError::Model(e) => e.code(),
            StudioError::Store(e) => e.code(),
            StudioError::Render(e) => e.code(),
            StudioError::Audio(e) => e.code(),
            StudioError::Trashed { .. } => "TRASHED",
            StudioError::Io { .. } => "IO_ERROR",
            StudioError::Bundle { .. } => "BAD_BUNDLE",
            StudioError::Poster { .. } => "POSTER_FAILED",
            StudioError::NoSample { .. } | StudioError::NotFound { .. } => "NOT_FOUND",
            StudioError::Export(e) => e.code(),
            StudioError::BadFolder { .. } => "INVALID_FOLDER",
            StudioError::BadFileName { .. } => "INVALID_NAME",
            StudioError::FileExists { .. } => "FILE_EXISTS",
            StudioError::AlreadyQueued { .. } => "ALREADY_QUEUED",
            StudioError::RevealUnavailable { .. } => "REVEAL_UNAVAILABLE",
        }
    }

    /// What kind of failure this is (the HTTP layers map it to a status).
    pub fn kind(&self) -> chatframe_model::ErrorKind {
        use chatframe_model::ErrorKind;
        match self {
            StudioError::InvalidOp { .. } | StudioError::InvalidEdit(_) | StudioError::Bundle { .. } => {
                ErrorKind::Invalid
            }
            StudioError::Model(e) => e.kind(),
            StudioError::Store(e) => e.kind(),
            StudioError::Render(e) => e.kind(),
            StudioError::Audio(e) => e.kind(),
            StudioError::Export(e) => e.kind(),
            StudioError::BadFolder { .. } | StudioError::BadFileName { .. } => ErrorKind::Invalid,
            StudioError::Trashed { .. } | StudioError::FileExists { .. } | StudioError::AlreadyQueued { .. } => {
                ErrorKind::Conflict
            }
            StudioError::RevealUnavailable { .. } => ErrorKind::Unavailable,
            StudioError::Io { .. } | StudioError::Poster { .. } => ErrorKind::Internal,
            StudioError::NoSample { .. } | StudioError::NotFound { .. } => ErrorKind::NotFound,
        }
    }

    pub(crate) fn op(message: impl Into<String>) -> Self {
        StudioError::InvalidOp { message: message.into() }
    }

    pub(crate) fn io(what: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StudioError {
        let path = path.into();
        move |source| StudioError::Io { what, path, source }
    }
}

/// The error as the UI receives it: `{"code": "INVALID_EDIT", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl From<&StudioError> for ErrorPayload {
    fn from(e: &StudioError) -> Self {
        ErrorPayload { code: e.code().to_string(), message: e.to_string() }
    }
}
