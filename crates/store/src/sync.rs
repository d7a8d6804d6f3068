//! The cloud sync queue. Every committed change upserts "project X needs syncing up to revision
//! N" in the same transaction as the change, so the cloud client (crates/cloud) can never miss an
//! edit, and a burst of edits costs one upload.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncItem {
    pub project_id: String,
    pub revision: u64,
    pub queued_at: i64,
    pub attempts: u32,
    pub last_error: Option<String>,
}

impl Store {
    /// Oldest pending items first.
    pub fn sync_pending(&self, limit: usize) -> Result<Vec<SyncItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT project_id, revision, queued_at, attempts, last_error FROM sync_queue ORDER BY queued_at LIMIT ?",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(SyncItem {
                    project_id: r.get(0)?,
                    revision: r.get(1)?,
                    queued_at: r.get(2)?,
                    attempts: r.get(3)?,
                    last_error: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Marks a project synced up to `revision`; newer edits queued meanwhile stay queued.
    pub fn sync_done(&mut self, project_id: &str, revision: u64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM sync_queue WHERE project_id = ?1 AND revision <= ?2",
                params![project_id, revision],
            )?;
            Ok(())
        })
    }

    pub fn sync_failed(&mut self, project_id: &str, error: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_queue SET attempts = attempts + 1, last_error = ?2 WHERE project_id = ?1",
                params![project_id, error],
            )?;
            Ok(())
        })
    }
}
