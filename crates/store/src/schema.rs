//! Schema migrations keyed by `PRAGMA user_version`. Each step runs in the same immediate
//! transaction as the version bump, so a crash mid-migration leaves the previous version intact.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// The schema this build writes.
pub const SCHEMA_VERSION: i64 = 1;

const V1: &str = r#"
CREATE TABLE projects (
    -- An explicit INTEGER PRIMARY KEY keeps rowids stable across VACUUM; the FTS index uses it.
    pk              INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    document        TEXT NOT NULL,
    platform        TEXT NOT NULL,
    appearance      TEXT NOT NULL,
    message_count   INTEGER NOT NULL,
    duration_us     INTEGER NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 0,
    journal_head    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    trashed_at      INTEGER,
    poster          BLOB,
    poster_revision INTEGER,
    -- Search is reindexed lazily (on the next search), so typing a message never pays for it.
    fts_stale       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_by_update ON projects (updated_at DESC);

CREATE TABLE journal (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
    seq        INTEGER NOT NULL,
    op         TEXT NOT NULL,
    inverse    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, seq)
) WITHOUT ROWID;

CREATE TABLE media (
    hash       TEXT PRIMARY KEY,
    ext        TEXT NOT NULL,
    size       INTEGER NOT NULL,
    name       TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per project with unsynced changes: edits coalesce into "sync up to revision N".
CREATE TABLE sync_queue (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
    revision   INTEGER NOT NULL,
    queued_at  INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
) WITHOUT ROWID;

CREATE VIRTUAL TABLE projects_fts USING fts5 (name, body, tokenize = 'unicode61 remove_diacritics 2');
"#;

/// Steps from version N-1 to N, index N-1.
const STEPS: &[&str] = &[V1];

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::FutureSchema { found, supported: SCHEMA_VERSION });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read inside the write lock: another process may have migrated meanwhile.
    let mut version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    while version < SCHEMA_VERSION {
        tx.execute_batch(STEPS[version as usize])?;
        version += 1;
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}
