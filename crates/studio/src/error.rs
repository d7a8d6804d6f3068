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
    /// A line could not be voiced (an engine not installed, a voice it lacks, a line with nothing
    /// to say); the message names the engine or the message.
    #[error("{0}")]
    Voice(#[from] chatframe_voice::VoiceError),
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
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &[
        "INVALID_OP",
        "INVALID_EDIT",
        "TRASHED",
        "IO_ERROR",
        "BAD_BUNDLE",
        "POSTER_FAILED",
        "NOT_FOUND",
        "INVALID_FOLDER",
        "INVALID_NAME",
        "FILE_EXISTS",
        "ALREADY_QUEUED",
        "REVEAL_UNAVAILABLE",
    ];

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
            StudioError::Voice(e) => e.code(),
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
            StudioError::Voice(e) => voice_kind(e),
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

/// A missing engine is something to install; a line, voice or engine name is the project's to
/// fix; a failing engine or cache is ours.
fn voice_kind(e: &chatframe_voice::VoiceError) -> chatframe_model::ErrorKind {
    use chatframe_model::ErrorKind;
    use chatframe_voice::VoiceError;
    match e {
        VoiceError::EngineMissing { .. } => ErrorKind::Unavailable,
        VoiceError::UnknownEngine { .. } | VoiceError::UnknownVoice { .. } | VoiceError::EmptyLine { .. } => {
            ErrorKind::Invalid
        }
        VoiceError::Line { source, .. } => voice_kind(source),
        VoiceError::Cancelled => ErrorKind::Conflict,
        VoiceError::EngineFailed { .. } | VoiceError::Silent { .. } | VoiceError::Cache { .. } => ErrorKind::Internal,
    }
}

/// Codes the transports (the local HTTP API, the desktop app's IPC commands) answer with when a
/// request fails before any studio call runs.
pub mod transport {
    /// The request itself is malformed (bad JSON, a missing body).
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// The local API's token is missing or wrong.
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    /// The call crashed on our side (a panicked worker thread).
    pub const INTERNAL: &str = "INTERNAL";
    pub const CODES: &[&str] = &[BAD_REQUEST, UNAUTHORIZED, INTERNAL];
}

/// Every code the UI can receive, sorted and without repeats: the studio's own, those of the
/// crates whose errors it passes on, and the transports'. The UI's bindings declare them as the
/// `ErrorCode` string union, so a remedy keyed by a code that does not exist fails to compile.
pub fn error_codes() -> Vec<&'static str> {
    let lists = [
        StudioError::CODES,
        ModelError::CODES,
        StoreError::CODES,
        RenderError::CODES,
        chatframe_audio::AudioError::CODES,
        chatframe_export::ExportError::CODES,
        chatframe_voice::VoiceError::CODES,
        transport::CODES,
    ];
    let all: std::collections::BTreeSet<&'static str> = lists.into_iter().flatten().copied().collect();
    all.into_iter().collect()
}

/// The error as the UI receives it: `{"code": "INVALID_EDIT", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    /// One of [`error_codes`].
    #[cfg_attr(feature = "schema", schemars(with = "ErrorCode"))]
    pub code: String,
    pub message: String,
}

impl ErrorPayload {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ErrorPayload { code: code.into(), message: message.into() }
    }
}

/// The schema of [`ErrorPayload::code`]: a string from [`error_codes`].
#[cfg(feature = "schema")]
pub struct ErrorCode;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ErrorCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A stable error code the UI can branch on.",
            "type": "string",
            "enum": error_codes(),
        })
    }
}

impl From<&chatframe_voice::VoiceError> for ErrorPayload {
    fn from(e: &chatframe_voice::VoiceError) -> Self {
        ErrorPayload { code: e.code().to_string(), message: e.to_string() }
    }
}

impl From<&StudioError> for ErrorPayload {
    fn from(e: &StudioError) -> Self {
        ErrorPayload { code: e.code().to_string(), message: e.to_string() }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            StudioError::op("o"),
            StudioError::InvalidEdit(ModelError::field("a", "b")),
            StudioError::Trashed { id: "a".into() },
            StudioError::Io { what: "w", path: "p".into(), source: std::io::Error::other("x") },
            StudioError::Bundle { message: "m".into(), path: "p".into() },
            StudioError::Poster { message: "m".into() },
            StudioError::NoSample { name: "n".into() },
            StudioError::NotFound { what: "w".into() },
            StudioError::BadFolder { folder: "f".into() },
            StudioError::BadFileName { name: "n".into() },
            StudioError::FileExists { path: "p".into() },
            StudioError::AlreadyQueued { path: "p".into() },
            StudioError::RevealUnavailable { path: "p".into() },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, StudioError::CODES.iter().copied().collect());
    }
}
