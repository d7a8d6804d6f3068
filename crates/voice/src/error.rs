use std::path::PathBuf;

/// Why a line could not be voiced. Each carries the engine or the message it is about, so the
/// studio can say what to install or which line to fix; `code()` is stable for the UI.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("the {engine} speech engine is not installed (install it with `{install}`)")]
    EngineMissing { engine: String, install: String },
    #[error("no speech engine {engine:?} (known: {known})")]
    UnknownEngine { engine: String, known: String },
    #[error("{engine} has no voice {voice:?} (list them with `{list}`)")]
    UnknownVoice { engine: String, voice: String, list: String },
    #[error("{engine} failed: {message}")]
    EngineFailed { engine: String, message: String },
    #[error("{engine} produced no audible speech")]
    Silent { engine: String },
    #[error("{json_path}: cannot speak this line ({text:?}): {source}")]
    Line {
        json_path: String,
        text: String,
        #[source]
        source: Box<VoiceError>,
    },
    #[error("{json_path}: voice-over is on for this message but it has nothing to say")]
    EmptyLine { json_path: String },
    #[error("{}: {message}", path.display())]
    Cache { path: PathBuf, message: String },
    #[error("voice-over generation was cancelled")]
    Cancelled,
}

impl VoiceError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &[
        "VOICE_ENGINE_MISSING",
        "VOICE_UNKNOWN_ENGINE",
        "VOICE_UNKNOWN",
        "VOICE_ENGINE_FAILED",
        "VOICE_SILENT",
        "VOICE_EMPTY_LINE",
        "VOICE_CACHE_FAILED",
        "CANCELLED",
    ];

    /// A stable code the UI and scripts can branch on; a line's error has its cause's code.
    pub fn code(&self) -> &'static str {
        match self {
            VoiceError::EngineMissing { .. } => "VOICE_ENGINE_MISSING",
            VoiceError::UnknownEngine { .. } => "VOICE_UNKNOWN_ENGINE",
            VoiceError::UnknownVoice { .. } => "VOICE_UNKNOWN",
            VoiceError::EngineFailed { .. } => "VOICE_ENGINE_FAILED",
            VoiceError::Silent { .. } => "VOICE_SILENT",
            VoiceError::Line { source, .. } => source.code(),
            VoiceError::EmptyLine { .. } => "VOICE_EMPTY_LINE",
            VoiceError::Cache { .. } => "VOICE_CACHE_FAILED",
            VoiceError::Cancelled => "CANCELLED",
        }
    }

    /// The JSON path of the message this error is about, when it is about one.
    pub fn json_path(&self) -> Option<&str> {
        match self {
            VoiceError::Line { json_path, .. } | VoiceError::EmptyLine { json_path } => Some(json_path),
            _ => None,
        }
    }

    pub(crate) fn failed(engine: &str, message: impl Into<String>) -> Self {
        VoiceError::EngineFailed { engine: engine.into(), message: message.into() }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            VoiceError::EngineMissing { engine: "e".into(), install: "i".into() },
            VoiceError::UnknownEngine { engine: "e".into(), known: "k".into() },
            VoiceError::UnknownVoice { engine: "e".into(), voice: "v".into(), list: "l".into() },
            VoiceError::failed("e", "m"),
            VoiceError::Silent { engine: "e".into() },
            VoiceError::EmptyLine { json_path: "p".into() },
            VoiceError::Cache { path: "p".into(), message: "m".into() },
            VoiceError::Cancelled,
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, VoiceError::CODES.iter().copied().collect());
    }
}
