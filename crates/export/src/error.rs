use std::path::PathBuf;

use chatframe_audio::AudioError;
use chatframe_render::RenderError;

/// Why an export did not produce its file. Whatever the variant, nothing is left at the target
/// path: the exporter writes beside it and renames only on success.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("ffmpeg was not found ({hint}); install it (e.g. `apt install ffmpeg`) or set CHATFRAME_FFMPEG")]
    FfmpegMissing { hint: String },
    #[error("ffmpeg {version} is too old (need {needed} or newer): {}", path.display())]
    FfmpegTooOld { version: String, needed: u32, path: PathBuf },
    #[error("ffmpeg failed ({status}): {stderr_tail}")]
    Ffmpeg { status: String, stderr_tail: String },
    #[error("export cancelled")]
    Cancelled,
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("invalid preset {input:?}: {message}")]
    Preset { input: String, message: String },
    #[error("unknown format {0:?} (expected mp4, webm, mov, gif, png, wav or srt)")]
    Format(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ExportError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &[
        "FFMPEG_MISSING",
        "FFMPEG_UNSUPPORTED",
        "FFMPEG_FAILED",
        "CANCELLED",
        "INVALID_PRESET",
        "INVALID_FORMAT",
        "INVALID_OUTPUT",
        "WRITE_FAILED",
    ];

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::FfmpegMissing { .. } => "FFMPEG_MISSING",
            ExportError::FfmpegTooOld { .. } => "FFMPEG_UNSUPPORTED",
            ExportError::Ffmpeg { .. } => "FFMPEG_FAILED",
            ExportError::Cancelled => "CANCELLED",
            ExportError::Render(e) => e.code(),
            ExportError::Preset { .. } => "INVALID_PRESET",
            ExportError::Format(_) => "INVALID_FORMAT",
            ExportError::Invalid(_) => "INVALID_OUTPUT",
            ExportError::Audio(e) => e.code(),
            ExportError::Io { .. } => "WRITE_FAILED",
        }
    }

    /// A missing or too old ffmpeg is a tool to install, not a bad request; an ffmpeg that
    /// fails or a write that fails is ours.
    pub fn kind(&self) -> chatframe_model::ErrorKind {
        use chatframe_model::ErrorKind;
        match self {
            ExportError::FfmpegMissing { .. } | ExportError::FfmpegTooOld { .. } => ErrorKind::Unavailable,
            ExportError::Ffmpeg { .. } | ExportError::Io { .. } => ErrorKind::Internal,
            ExportError::Cancelled => ErrorKind::Conflict,
            ExportError::Render(e) => e.kind(),
            ExportError::Audio(e) => e.kind(),
            ExportError::Preset { .. } | ExportError::Format(_) | ExportError::Invalid(_) => ErrorKind::Invalid,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ExportError {
        let path = path.into();
        move |source| ExportError::Io { path, source }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            ExportError::FfmpegMissing { hint: "h".into() },
            ExportError::FfmpegTooOld { version: "1".into(), needed: 5, path: "p".into() },
            ExportError::Ffmpeg { status: "1".into(), stderr_tail: "e".into() },
            ExportError::Cancelled,
            ExportError::Preset { input: "i".into(), message: "m".into() },
            ExportError::Format("f".into()),
            ExportError::Invalid("i".into()),
            ExportError::Io { path: "p".into(), source: std::io::Error::other("x") },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, ExportError::CODES.iter().copied().collect());
    }
}
