use std::path::PathBuf;

/// Why a library operation failed. Nothing is half-written in any case: every write runs in one
/// transaction that either commits whole or not at all.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no project with id {id:?} in the library")]
    NotFound { id: String },
    /// Another writer (a second window, the automation API) changed the project since it was read.
    #[error("project {id:?} changed elsewhere (at revision {found}, expected {expected}); reload it")]
    Conflict { id: String, expected: u64, found: u64 },
    #[error("project {id:?} has no edit left to undo")]
    EmptyJournal { id: String },
    #[error("project {id:?} already exists")]
    Exists { id: String },
    #[error("the library was written by a newer Chatframe (schema {found}, this build knows up to {supported})")]
    FutureSchema { found: i64, supported: i64 },
    #[error("library database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{what}: {source}: {}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &[
        "NOT_FOUND",
        "CONFLICT",
        "ALREADY_EXISTS",
        "NOTHING_TO_UNDO",
        "LIBRARY_TOO_NEW",
        "LIBRARY_BUSY",
        "LIBRARY_ERROR",
        "IO_ERROR",
    ];

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "NOT_FOUND",
            StoreError::Conflict { .. } => "CONFLICT",
            StoreError::Exists { .. } => "ALREADY_EXISTS",
            StoreError::EmptyJournal { .. } => "NOTHING_TO_UNDO",
            StoreError::FutureSchema { .. } => "LIBRARY_TOO_NEW",
            StoreError::Sqlite(e) if is_busy(e) => "LIBRARY_BUSY",
            StoreError::Sqlite(_) => "LIBRARY_ERROR",
            StoreError::Io { .. } => "IO_ERROR",
        }
    }

    pub fn kind(&self) -> chatframe_model::ErrorKind {
        use chatframe_model::ErrorKind;
        match self {
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Conflict { .. } | StoreError::Exists { .. } => ErrorKind::Conflict,
            StoreError::EmptyJournal { .. } => ErrorKind::Invalid,
            // A library from a newer build cannot be used by this one, whatever the call.
            StoreError::FutureSchema { .. } => ErrorKind::Unavailable,
            StoreError::Sqlite(e) if is_busy(e) => ErrorKind::Unavailable,
            StoreError::Sqlite(_) | StoreError::Io { .. } => ErrorKind::Internal,
        }
    }

    pub(crate) fn io(what: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { what, path, source }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            StoreError::NotFound { id: "a".into() },
            StoreError::Conflict { id: "a".into(), expected: 1, found: 2 },
            StoreError::Exists { id: "a".into() },
            StoreError::EmptyJournal { id: "a".into() },
            StoreError::FutureSchema { found: 9, supported: 1 },
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )),
            StoreError::Sqlite(rusqlite::Error::InvalidQuery),
            StoreError::Io { what: "w", path: "p".into(), source: std::io::Error::other("x") },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, StoreError::CODES.iter().copied().collect());
    }
}
