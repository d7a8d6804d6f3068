use std::path::PathBuf;

/// What kind of failure an error is, for every Chatframe error type (`kind()` beside `code()`):
/// what the caller can do about it, and the status an HTTP layer answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// What the call names does not exist.
    NotFound,
    /// The call clashes with the current state: changed elsewhere, already there, in the trash.
    Conflict,
    /// The input is wrong; the message names the field or file.
    Invalid,
    /// Something the call needs is missing or busy (ffmpeg, the library's lock): install it or
    /// retry; the input is fine.
    Unavailable,
    /// A failure on our side: I/O, the database, an encoder that crashed.
    Internal,
}

/// Why a project could not be loaded or used. Every variant names the place (a JSON path such as
/// `messages[3].sender`, or a file) and the problem, so the user can fix it without guessing.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Field { path: String, message: String },
    #[error(
        "schemaVersion {found} is newer than this version of Chatframe understands (up to {supported}); update Chatframe to open it"
    )]
    FutureVersion { found: u64, supported: u32 },
    #[error("{count} problems; first: {first}")]
    Many { count: usize, first: String, all: Vec<ModelError> },
}

impl ModelError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] =
        &["READ_FAILED", "INVALID_JSON", "INVALID_FIELD", "UNSUPPORTED_VERSION", "INVALID_PROJECT"];

    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        ModelError::Field { path: path.into(), message: message.into() }
    }

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ModelError::Read { .. } => "READ_FAILED",
            ModelError::Syntax { .. } => "INVALID_JSON",
            ModelError::Field { .. } => "INVALID_FIELD",
            ModelError::FutureVersion { .. } => "UNSUPPORTED_VERSION",
            ModelError::Many { .. } => "INVALID_PROJECT",
        }
    }

    /// Every variant is about the document or file the caller gave.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ModelError::Read { .. }
            | ModelError::Syntax { .. }
            | ModelError::Field { .. }
            | ModelError::FutureVersion { .. }
            | ModelError::Many { .. } => ErrorKind::Invalid,
        }
    }

    /// Every individual problem (one for all variants but `Many`).
    pub fn problems(&self) -> Vec<&ModelError> {
        match self {
            ModelError::Many { all, .. } => all.iter().collect(),
            other => vec![other],
        }
    }

    pub(crate) fn from_list(mut list: Vec<ModelError>) -> Result<(), ModelError> {
        match list.len() {
            0 => Ok(()),
            1 => Err(list.remove(0)),
            count => Err(ModelError::Many { count, first: list[0].to_string(), all: list }),
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            ModelError::Read { path: "p".into(), source: std::io::Error::other("x") },
            ModelError::Syntax { line: 1, column: 1, message: "m".into() },
            ModelError::field("a", "b"),
            ModelError::FutureVersion { found: 9, supported: 1 },
            ModelError::Many { count: 2, first: "f".into(), all: vec![] },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, ModelError::CODES.iter().copied().collect());
    }
}
