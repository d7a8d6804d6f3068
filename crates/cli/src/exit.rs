//! Exit codes, so scripts can tell a bad project from a missing ffmpeg from a Ctrl-C.

use chatframe_export::ExportError;
use chatframe_model::ModelError;
use chatframe_render::RenderError;
use chatframe_voice::VoiceError;

pub const OK: i32 = 0;
/// Anything else: ffmpeg failed, the disk is full, ...
pub const FAILURE: i32 = 1;
/// Bad command line (clap's convention).
pub const USAGE: i32 = 2;
/// The project, a media file, a preset or a format is invalid.
pub const INVALID_INPUT: i32 = 3;
/// ffmpeg is missing or too old.
pub const NO_FFMPEG: i32 = 4;
/// A speech engine for the voice-over is missing.
pub const NO_SPEECH_ENGINE: i32 = 5;
/// Cancelled by Ctrl-C / SIGTERM (the shell convention for SIGINT).
pub const CANCELLED: i32 = 130;

/// Marks an error as the user's input being wrong (for problems found by the CLI itself).
#[derive(Debug)]
pub struct InvalidInput(pub String);

impl std::error::Error for InvalidInput {}

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn code_of(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<ExportError>() {
            return match e {
                ExportError::FfmpegMissing { .. } | ExportError::FfmpegTooOld { .. } => NO_FFMPEG,
                ExportError::Cancelled => CANCELLED,
                ExportError::Render(_) | ExportError::Preset { .. } | ExportError::Format(_) => INVALID_INPUT,
                ExportError::Invalid(_) | ExportError::Audio(_) => INVALID_INPUT,
                _ => FAILURE,
            };
        }
        if let Some(e) = cause.downcast_ref::<VoiceError>() {
            return match e.code() {
                "VOICE_ENGINE_MISSING" => NO_SPEECH_ENGINE,
                "CANCELLED" => CANCELLED,
                "VOICE_UNKNOWN" | "VOICE_UNKNOWN_ENGINE" | "VOICE_EMPTY_LINE" => INVALID_INPUT,
                _ => FAILURE,
            };
        }
        if cause.is::<ModelError>() || cause.is::<RenderError>() || cause.is::<InvalidInput>() {
            return INVALID_INPUT;
        }
    }
    FAILURE
}

/// The stable error code printed in `--json` mode.
pub fn error_code(err: &anyhow::Error) -> &'static str {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<ExportError>() {
            return e.code();
        }
        if let Some(e) = cause.downcast_ref::<ModelError>() {
            return e.code();
        }
        if let Some(e) = cause.downcast_ref::<RenderError>() {
            return e.code();
        }
        if let Some(e) = cause.downcast_ref::<VoiceError>() {
            return e.code();
        }
        if cause.is::<InvalidInput>() {
            return "INVALID_INPUT";
        }
    }
    "FAILED"
}
