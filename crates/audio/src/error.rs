use std::path::PathBuf;

/// Why audio could not be decoded, mixed or written. File errors name the file and, when the file
/// came from a project, the JSON path that referenced it (`audio.music.src`,
/// `messages[3].sound.src`), so the user knows what to fix without guessing. Paths come last in
/// messages, as everywhere in Chatframe.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("{}{problem}: {}", at(json_path), path.display())]
    File { path: PathBuf, json_path: Option<String>, problem: FileProblem },
    #[error("cannot write the audio to {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
    #[error("{}{message}", at(json_path))]
    Setting { json_path: Option<String>, message: String },
    #[error("the timeline is {seconds} s long; the audio mix is limited to {limit} s")]
    MixTooLong { seconds: i64, limit: i64 },
}

/// What is wrong with an audio file. Kept separate from the path so tests and the UI can branch
/// on the problem while the message still reads as one sentence.
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    #[error("audio file not found")]
    NotFound,
    #[error("cannot read the audio file ({0})")]
    Io(std::io::Error),
    #[error("the audio file is empty")]
    Empty,
    #[error("not a supported audio format ({0})")]
    Unsupported(String),
    #[error("the audio data is corrupt ({0})")]
    Corrupt(String),
    #[error("the file has no audio track")]
    NoAudio,
    #[error("the audio is longer than the {limit_minutes}-minute limit")]
    TooLong { limit_minutes: u64 },
    #[error("the file is {mb} MB; audio files are limited to {limit_mb} MB")]
    TooLarge { mb: u64, limit_mb: u64 },
    #[error("the offset ({offset_ms} ms) is past the end of the track ({length_ms} ms)")]
    OffsetPastEnd { offset_ms: u32, length_ms: u64 },
}

fn at(json_path: &Option<String>) -> String {
    json_path.as_ref().map(|p| format!("{p}: ")).unwrap_or_default()
}

impl AudioError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &[
        "AUDIO_NOT_FOUND",
        "AUDIO_UNREADABLE",
        "AUDIO_EMPTY",
        "AUDIO_UNSUPPORTED",
        "AUDIO_CORRUPT",
        "AUDIO_NO_TRACK",
        "AUDIO_TOO_LONG",
        "AUDIO_TOO_LARGE",
        "AUDIO_OFFSET_PAST_END",
        "AUDIO_WRITE_FAILED",
        "INVALID_FIELD",
        "MIX_TOO_LONG",
    ];

    pub(crate) fn file(path: impl Into<PathBuf>, problem: FileProblem) -> Self {
        AudioError::File { path: path.into(), json_path: None, problem }
    }

    /// Attaches the JSON path of the project field that referenced the file (kept if already set:
    /// the innermost caller knows best).
    pub fn with_json_path(mut self, path: impl Into<String>) -> Self {
        match &mut self {
            AudioError::File { json_path, .. } | AudioError::Setting { json_path, .. } if json_path.is_none() => {
                *json_path = Some(path.into());
            }
            _ => {}
        }
        self
    }

    /// The JSON path this error is about, when it came from a project field.
    pub fn json_path(&self) -> Option<&str> {
        match self {
            AudioError::File { json_path, .. } | AudioError::Setting { json_path, .. } => json_path.as_deref(),
            _ => None,
        }
    }

    /// The file this error is about, if any.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            AudioError::File { path, .. } | AudioError::Write { path, .. } => Some(path),
            _ => None,
        }
    }

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::File { problem, .. } => match problem {
                FileProblem::NotFound => "AUDIO_NOT_FOUND",
                FileProblem::Io(_) => "AUDIO_UNREADABLE",
                FileProblem::Empty => "AUDIO_EMPTY",
                FileProblem::Unsupported(_) => "AUDIO_UNSUPPORTED",
                FileProblem::Corrupt(_) => "AUDIO_CORRUPT",
                FileProblem::NoAudio => "AUDIO_NO_TRACK",
                FileProblem::TooLong { .. } => "AUDIO_TOO_LONG",
                FileProblem::TooLarge { .. } => "AUDIO_TOO_LARGE",
                FileProblem::OffsetPastEnd { .. } => "AUDIO_OFFSET_PAST_END",
            },
            AudioError::Write { .. } => "AUDIO_WRITE_FAILED",
            AudioError::Setting { .. } => "INVALID_FIELD",
            AudioError::MixTooLong { .. } => "MIX_TOO_LONG",
        }
    }

    /// The project's files and settings are the caller's; writing the WAV is ours.
    pub fn kind(&self) -> chatframe_model::ErrorKind {
        use chatframe_model::ErrorKind;
        match self {
            AudioError::File { .. } | AudioError::Setting { .. } | AudioError::MixTooLong { .. } => ErrorKind::Invalid,
            AudioError::Write { .. } => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            AudioError::file("p", FileProblem::NotFound),
            AudioError::file("p", FileProblem::Io(std::io::Error::other("x"))),
            AudioError::file("p", FileProblem::Empty),
            AudioError::file("p", FileProblem::Unsupported("x".into())),
            AudioError::file("p", FileProblem::Corrupt("x".into())),
            AudioError::file("p", FileProblem::NoAudio),
            AudioError::file("p", FileProblem::TooLong { limit_minutes: 1 }),
            AudioError::file("p", FileProblem::TooLarge { mb: 2, limit_mb: 1 }),
            AudioError::file("p", FileProblem::OffsetPastEnd { offset_ms: 2, length_ms: 1 }),
            AudioError::Write { path: "p".into(), message: "m".into() },
            AudioError::Setting { json_path: None, message: "m".into() },
            AudioError::MixTooLong { seconds: 2, limit: 1 },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, AudioError::CODES.iter().copied().collect());
    }
}
