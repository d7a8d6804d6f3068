//! Project rows: the current document, the metadata the library grid shows, the edit journal,
//! trash, posters and search.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::{JOURNAL_LIMIT, Store, StoreError, now_ms};

/// What the library grid shows without opening the document; computed by the caller (the studio
/// knows the document's meaning) and written with every document change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProjectMeta {
    pub name: String,
    pub platform: String,
    pub appearance: String,
    pub message_count: u32,
    /// Video length in microseconds.
    pub duration_us: i64,
}

pub struct NewProject<'a> {
    pub id: &'a str,
    pub document: &'a str,
    pub meta: &'a ProjectMeta,
    /// A poster carried over (duplicate); rendered lazily otherwise.
    pub poster: Option<&'a [u8]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProjectSummary {
    pub id: String,
    #[serde(flatten)]
    pub meta: ProjectMeta,
    /// Bumped by every committed change (edit, undo, redo, rename).
    pub revision: u64,
    pub created_at: i64,
    pub updated_at: i64,
    pub trashed_at: Option<i64>,
    /// Revision the stored poster shows; stale when it differs from `revision`.
    pub poster_revision: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub summary: ProjectSummary,
    pub document: String,
    /// Journal rows with `seq <= journal_head` are applied (the undo stack); later ones are the
    /// redo stack.
    pub journal_head: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub seq: u64,
    pub op: String,
    pub inverse: String,
}

/// The document written by [`Store::commit`].
pub struct DocUpdate<'a> {
    pub document: &'a str,
    pub meta: &'a ProjectMeta,
}

/// What a commit does to the edit journal, in the same transaction as the document.
#[derive(Debug, Clone, Copy)]
pub enum JournalStep<'a> {
    /// A new edit: drops the redo rows and appends this one.
    Push { op: &'a str, inverse: &'a str },
    /// The edit at the head was undone (the document passed is the state before it).
    Undo,
    /// The edit after the head was redone.
    Redo,
    /// Not an undoable edit (rename from the library, import).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Committed {
    pub revision: u64,
    pub journal_head: u64,
}

const SUMMARY_COLS: &str = "id, name, platform, appearance, message_count, duration_us, revision, created_at, \
                            updated_at, trashed_at, poster_revision";

fn summary(r: &Row<'_>) -> rusqlite::Result<ProjectSummary> {
    Ok(ProjectSummary {
        id: r.get(0)?,
        meta: ProjectMeta {
            name: r.get(1)?,
            platform: r.get(2)?,
            appearance: r.get(3)?,
            message_count: r.get(4)?,
            duration_us: r.get(5)?,
        },
        revision: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        trashed_at: r.get(9)?,
        poster_revision: r.get(10)?,
    })
}

impl Store {
    pub fn create_project(&mut self, new: &NewProject<'_>) -> Result<ProjectSummary, StoreError> {
        let now = now_ms();
        self.write(|tx| {
            let exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM projects WHERE id = ?)", [new.id], |r| r.get(0))?;
            if exists {
                return Err(StoreError::Exists { id: new.id.to_string() });
            }
            let m = new.meta;
            tx.execute(
                "INSERT INTO projects (id, name, document, platform, appearance, message_count, duration_us,
                                       created_at, updated_at, poster, poster_revision)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, CASE WHEN ?9 IS NULL THEN NULL ELSE 0 END)",
                params![
                    new.id,
                    m.name,
                    new.document,
                    m.platform,
                    m.appearance,
                    m.message_count,
                    m.duration_us,
                    now,
                    new.poster
                ],
            )?;
            enqueue_sync(tx, new.id, 0, now)?;
            Ok(())
        })?;
        self.summary(new.id)
    }

    pub fn summary(&self, id: &str) -> Result<ProjectSummary, StoreError> {
        let sql = format!("SELECT {SUMMARY_COLS} FROM projects WHERE id = ?");
        self.conn.prepare_cached(&sql)?.query_row([id], summary).optional()?.ok_or_else(|| not_found(id))
    }

    /// The project with its document, trashed or not.
    pub fn project(&self, id: &str) -> Result<ProjectRecord, StoreError> {
        let sql = format!("SELECT {SUMMARY_COLS}, document, journal_head FROM projects WHERE id = ?");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                Ok(ProjectRecord { summary: summary(r)?, document: r.get(11)?, journal_head: r.get(12)? })
            })
            .optional()?
            .ok_or_else(|| not_found(id))
    }

    /// Projects not in the trash, most recently changed first.
    pub fn list_projects(&self) -> Result<Vec<ProjectSummary>, StoreError> {
        self.list_where("trashed_at IS NULL ORDER BY updated_at DESC, pk DESC")
    }

    /// The trash, most recently deleted first.
    pub fn list_trash(&self) -> Result<Vec<ProjectSummary>, StoreError> {
        self.list_where("trashed_at IS NOT NULL ORDER BY trashed_at DESC, pk DESC")
    }

    fn list_where(&self, clause: &str) -> Result<Vec<ProjectSummary>, StoreError> {
        let sql = format!("SELECT {SUMMARY_COLS} FROM projects WHERE {clause}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], summary)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Writes a new document and its journal step in ONE immediate transaction, and only if the
    /// project is still at `expected_revision` (two writers never silently overwrite each other).
    /// When this returns `Ok`, the change is durable: that is when the studio acknowledges it.
    pub fn commit(
        &mut self,
        id: &str,
        expected_revision: u64,
        doc: &DocUpdate<'_>,
        step: JournalStep<'_>,
    ) -> Result<Committed, StoreError> {
        let now = now_ms();
        self.write(|tx| {
            let (revision, head) = tx
                .prepare_cached("SELECT revision, journal_head FROM projects WHERE id = ?")?
                .query_row([id], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, u64>(1)?)))
                .optional()?
                .ok_or_else(|| not_found(id))?;
            if revision != expected_revision {
                return Err(StoreError::Conflict { id: id.to_string(), expected: expected_revision, found: revision });
            }
            let head = match step {
                JournalStep::Push { op, inverse } => {
                    let seq = head + 1;
                    // A new edit forgets the redo stack, exactly like the in-memory one.
                    tx.prepare_cached("DELETE FROM journal WHERE project_id = ?1 AND (seq >= ?2 OR seq <= ?3)")?
                        .execute(params![id, seq, seq.saturating_sub(JOURNAL_LIMIT)])?;
                    tx.prepare_cached(
                        "INSERT INTO journal (project_id, seq, op, inverse, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![id, seq, op, inverse, now])?;
                    seq
                }
                JournalStep::Undo => head.checked_sub(1).ok_or_else(|| journal_gap(id))?,
                JournalStep::Redo => head + 1,
                JournalStep::None => head,
            };
            let m = doc.meta;
            tx.prepare_cached(
                "UPDATE projects SET document = ?2, name = ?3, platform = ?4, appearance = ?5, message_count = ?6,
                        duration_us = ?7, revision = ?8, journal_head = ?9, updated_at = ?10, fts_stale = 1
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                doc.document,
                m.name,
                m.platform,
                m.appearance,
                m.message_count,
                m.duration_us,
                revision + 1,
                head,
                now
            ])?;
            enqueue_sync(tx, id, revision + 1, now)?;
            Ok(Committed { revision: revision + 1, journal_head: head })
        })
    }

    /// Every journal row of a project in `seq` order (undo rows, then redo rows after the head).
    pub fn journal(&self, id: &str) -> Result<Vec<JournalEntry>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT seq, op, inverse FROM journal WHERE project_id = ? ORDER BY seq")?;
        let rows = stmt
            .query_map([id], |r| Ok(JournalEntry { seq: r.get(0)?, op: r.get(1)?, inverse: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Forgets a project's undo history (e.g. when its journal no longer parses after an upgrade).
    pub fn clear_journal(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM journal WHERE project_id = ?", [id])?;
            tx.execute("UPDATE projects SET journal_head = 0 WHERE id = ?", [id])?;
            Ok(())
        })
    }

    /// Moves a project to the trash (restorable until purged).
    pub fn trash(&mut self, id: &str) -> Result<(), StoreError> {
        self.set_trashed(id, Some(now_ms()))
    }

    pub fn restore(&mut self, id: &str) -> Result<(), StoreError> {
        self.set_trashed(id, None)
    }

    fn set_trashed(&mut self, id: &str, at: Option<i64>) -> Result<(), StoreError> {
        self.write(|tx| {
            let n = tx.execute("UPDATE projects SET trashed_at = ?2 WHERE id = ?1", params![id, at])?;
            if n == 0 { Err(not_found(id)) } else { Ok(()) }
        })
    }

    /// Deletes a project for good, with its journal, search entry and sync row.
    pub fn purge(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            let pk: i64 = tx
                .query_row("SELECT pk FROM projects WHERE id = ?", [id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| not_found(id))?;
            tx.execute("DELETE FROM projects_fts WHERE rowid = ?", [pk])?;
            tx.execute("DELETE FROM projects WHERE pk = ?", [pk])?;
            Ok(())
        })
    }

    /// Purges every trashed project deleted before `before_ms` (all of them with `i64::MAX`).
    pub fn empty_trash(&mut self, before_ms: i64) -> Result<usize, StoreError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM projects_fts WHERE rowid IN (SELECT pk FROM projects WHERE trashed_at < ?)",
                [before_ms],
            )?;
            Ok(tx.execute("DELETE FROM projects WHERE trashed_at < ?", [before_ms])?)
        })
    }

    /// The stored poster PNG and the revision it shows.
    pub fn poster(&self, id: &str) -> Result<Option<(Vec<u8>, u64)>, StoreError> {
        let row: Option<(Option<Vec<u8>>, Option<u64>)> = self
            .conn
            .prepare_cached("SELECT poster, poster_revision FROM projects WHERE id = ?")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Err(not_found(id)),
            Some((Some(png), Some(rev))) => Ok(Some((png, rev))),
            Some(_) => Ok(None),
        }
    }

    /// Caches a poster rendered from `revision`. Posters are derived data, so this does not bump
    /// the project's revision.
    pub fn set_poster(&mut self, id: &str, png: &[u8], revision: u64) -> Result<(), StoreError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE projects SET poster = ?2, poster_revision = ?3 WHERE id = ?1",
                params![id, png, revision],
            )?;
            if n == 0 { Err(not_found(id)) } else { Ok(()) }
        })
    }

    /// Projects (not trashed) whose name or message text matches every word of `query` (prefix
    /// match, case and accent insensitive), best match first. An empty query lists everything.
    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<ProjectSummary>, StoreError> {
        let fts = fts_query(query);
        if fts.is_empty() {
            let mut all = self.list_projects()?;
            all.truncate(limit);
            return Ok(all);
        }
        self.reindex_stale()?;
        let cols = SUMMARY_COLS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {cols} FROM projects_fts f JOIN projects p ON p.pk = f.rowid
             WHERE projects_fts MATCH ?1 AND p.trashed_at IS NULL ORDER BY bm25(projects_fts, 4.0, 1.0) LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![fts, limit as i64], summary)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Brings the search index up to date with every document changed since the last search.
    /// Done here rather than per edit so that typing in a 5,000-message project never reindexes
    /// its whole text; the body comes straight from the stored JSON.
    fn reindex_stale(&mut self) -> Result<(), StoreError> {
        self.write(reindex)
    }
}

fn reindex(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM projects_fts WHERE rowid IN (SELECT pk FROM projects WHERE fts_stale = 1)", [])?;
    tx.execute(
        "INSERT INTO projects_fts (rowid, name, body)
         SELECT p.pk, p.name,
                (SELECT group_concat(m.value ->> '$.text', ' ') FROM json_each(p.document, '$.messages') m)
         FROM projects p WHERE p.fts_stale = 1",
        [],
    )?;
    tx.execute("UPDATE projects SET fts_stale = 0 WHERE fts_stale = 1", [])?;
    Ok(())
}

/// Turns what a user types into an FTS5 query: every word must match as a prefix. Words are
/// quoted, so FTS syntax characters in user input (`"`, `*`, `OR`, `-`) are just text.
fn fts_query(input: &str) -> String {
    input
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '_')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn enqueue_sync(tx: &Transaction<'_>, id: &str, revision: u64, now: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_queue (project_id, revision, queued_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (project_id) DO UPDATE SET revision = excluded.revision",
    )?
    .execute(params![id, revision, now])?;
    Ok(())
}

fn not_found(id: &str) -> StoreError {
    StoreError::NotFound { id: id.to_string() }
}

fn journal_gap(id: &str) -> StoreError {
    StoreError::EmptyJournal { id: id.to_string() }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn user_text_never_becomes_fts_syntax() {
        assert_eq!(fts_query("snow day"), "\"snow\"* \"day\"*");
        assert_eq!(fts_query("  \"OR\" -x* "), "\"OR\"* \"x\"*");
        assert_eq!(fts_query("!!"), "");
    }
}
