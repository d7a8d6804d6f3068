use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::{StoreError, schema};

/// Journal rows kept per project: undo reaches this many edits back, even after a restart.
/// Older rows are pruned as new edits arrive so the journal cannot grow without bound.
pub const JOURNAL_LIMIT: u64 = 2_000;

/// How hard SQLite works to make a commit survive power loss (a process crash is survived by both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// fsync the WAL on every commit: an acknowledged edit survives power loss too. The default;
    /// `docs/BENCHMARKS.md` measures it: about 5 ms of fsync per edit on the 2-core VM disk.
    #[default]
    Full,
    /// fsync only at checkpoints: the last edits may roll back on power loss (never corrupt).
    /// For benchmarks that measure the difference.
    Normal,
}

#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    pub synchronous: Synchronous,
}

/// One connection to the library. Each studio session holds its own (SQLite serialises writers
/// with `BEGIN IMMEDIATE` and the busy timeout), so sessions never share a lock in Rust.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, &StoreOptions::default())
    }

    pub fn open_with(path: &Path, options: &StoreOptions) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(StoreError::io("cannot create the library folder", dir))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        // Wait for another writer (a second window, the automation API) instead of failing at once.
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        debug_assert_eq!(mode.to_ascii_lowercase(), "wal");
        let sync = match options.synchronous {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn)?;
        Ok(Store { conn, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the database that holds media files and resolves documents' relative
    /// media paths (`media/<hash>.<ext>`).
    pub fn library_dir(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// `PRAGMA integrity_check`: `Ok(())` or every problem SQLite reports.
    pub fn integrity_check(&self) -> Result<(), Vec<String>> {
        let rows: rusqlite::Result<Vec<String>> =
            self.conn.prepare("PRAGMA integrity_check").and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
        match rows {
            Ok(r) if r.len() == 1 && r[0] == "ok" => Ok(()),
            Ok(r) => Err(r),
            Err(e) => Err(vec![e.to_string()]),
        }
    }

    /// The `synchronous` level in force (0 off, 1 normal, 2 full, 3 extra).
    pub fn synchronous_level(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
    /// transaction never fails halfway with SQLITE_BUSY on its first write.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}
