//! The embedded SQLite store: one writer connection (SQLite serializes writers anyway, and one
//! in-process writer avoids busy-retry storms) and a small pool of readers; WAL lets them run
//! side by side. Writes that move credits use `BEGIN IMMEDIATE` so the balance check and the
//! update happen under the write lock.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value;

use super::*;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  balance INTEGER NOT NULL CHECK (balance >= 0),
  rate_per_minute INTEGER,
  callback_secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  amount INTEGER NOT NULL,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  reference TEXT,
  -- a refund names the charge it reverses; UNIQUE makes a second refund impossible
  refund_of TEXT UNIQUE,
  balance_after INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_account ON ledger(account_id, created_at);
CREATE TABLE IF NOT EXISTS idempotency (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  content_type TEXT,
  body BLOB,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  revision INTEGER NOT NULL,
  project TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_account ON conversations(account_id, updated_at);
CREATE TABLE IF NOT EXISTS voices (
  id TEXT PRIMARY KEY,
  account_id TEXT,
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  engine_voice TEXT NOT NULL,
  pitch INTEGER NOT NULL,
  rate INTEGER NOT NULL,
  analysis TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS characters (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  voice_id TEXT NOT NULL,
  language TEXT NOT NULL,
  personality TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  progress REAL NOT NULL,
  conversation_id TEXT NOT NULL,
  params TEXT NOT NULL,
  project TEXT NOT NULL,
  credits INTEGER NOT NULL,
  charge_id TEXT,
  duration_secs REAL NOT NULL,
  output_path TEXT,
  output_bytes INTEGER,
  error TEXT,
  client_request_id TEXT,
  callback_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_account ON jobs(account_id, kind, created_at);
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs(status, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_client_request ON jobs(account_id, client_request_id)
  WHERE client_request_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  endpoint_id TEXT,
  url TEXT NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  secret TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_status_code INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(status, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_endpoint ON deliveries(endpoint_id, created_at);
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(
  title, body, account_id UNINDEXED, kind UNINDEXED, object_id UNINDEXED, created_at UNINDEXED
);
"#;

/// Built-in voices of the espeak-ng engine: (id, name, language, espeak voice, pitch, words/min).
pub const PRESET_VOICES: &[(&str, &str, &str, &str, u32, u32)] = &[
    ("voice_ava", "Ava (warm, US)", "en", "en-us+f3", 55, 165),
    ("voice_max", "Max (calm, US)", "en", "en-us+m3", 40, 160),
    ("voice_lily", "Lily (bright, UK)", "en", "en-gb+f4", 65, 175),
    ("voice_oliver", "Oliver (deep, UK)", "en", "en-gb+m1", 30, 150),
    ("voice_sofia", "Sofia (Spanish)", "es", "es+f2", 55, 160),
    ("voice_lucas", "Lucas (French)", "fr", "fr+m2", 45, 160),
    ("voice_mia", "Mia (German)", "de", "de+f2", 55, 160),
    ("voice_yui", "Yui (Japanese)", "ja", "ja+f3", 60, 160),
];

pub struct SqliteStore {
    pub(super) writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
    _alive: Arc<()>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL + NORMAL: durable against a crashed process (every acknowledged write survives),
    // and fast enough for thousands of charges a second on one disk.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<SqliteStore> {
        // The checkpoint thread stops once the store (holding the other handle) is dropped.
        let alive_handle = Arc::new(());
        let alive = alive_handle.clone();
        let writer = Connection::open(path)?;
        configure(&writer)?;
        writer.execute_batch(SCHEMA)?;
        let now = now_ms();
        for (id, name, lang, ev, pitch, rate) in PRESET_VOICES {
            writer.execute(
                "INSERT OR IGNORE INTO voices (id, account_id, name, language, engine_voice, pitch, rate, analysis, created_at)
                 VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, '{}', ?7)",
                params![id, name, lang, ev, pitch, rate, now],
            )?;
        }
        // Checkpoints move WAL pages into the database file. Left to SQLite they run inside
        // whichever commit crosses the threshold, stalling that request (the p99 of charges);
        // a passive checkpoint on a thread of its own never blocks the writer.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        let checkpointer = Connection::open(path)?;
        configure(&checkpointer)?;
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(500));
                    if let Err(e) = checkpointer.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                    if Arc::strong_count(&alive) == 1 {
                        return;
                    }
                }
            })
            .map_err(StorageError::Io)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            path: path.to_path_buf(),
            _alive: alive_handle,
        })
    }

    /// Runs `f` on a pooled read connection (opened on demand, kept for reuse).
    pub(super) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.readers.lock().expect("reader pool poisoned").pop();
        let conn = match conn {
            Some(c) => c,
            None => {
                let c = Connection::open(&self.path)?;
                configure(&c)?;
                c
            }
        };
        let out = f(&conn);
        let mut pool = self.readers.lock().expect("reader pool poisoned");
        if pool.len() < 8 {
            pool.push(conn);
        }
        out
    }

    /// Runs `f` in an immediate transaction on the writer; commits on `Ok`.
    pub(super) fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Inserts a ledger row and moves the balance, inside the caller's transaction. The conditional
/// UPDATE is the guard: it changes no row when the balance would drop below zero.
pub(super) fn post_entry(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    amount: i64,
    kind: EntryKind,
    description: &str,
    reference: Option<&str>,
    refund_of: Option<&str>,
) -> Result<LedgerEntry> {
    let changed = tx.execute(
        "UPDATE accounts SET balance = balance + ?1 WHERE id = ?2 AND balance + ?1 >= 0",
        params![amount, account_id],
    )?;
    if changed == 0 {
        let balance: Option<i64> =
            tx.query_row("SELECT balance FROM accounts WHERE id = ?1", [account_id], |r| r.get(0)).optional()?;
        return match balance {
            None => Err(StorageError::NotFound("account")),
            Some(balance) => Err(StorageError::InsufficientCredits { needed: -amount, balance }),
        };
    }
    let balance_after: i64 = tx.query_row("SELECT balance FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?;
    let entry = LedgerEntry {
        id: new_id("txn"),
        amount,
        kind,
        description: description.to_string(),
        reference: reference.map(str::to_string),
        balance_after,
        created_at: now_ms(),
    };
    tx.execute(
        "INSERT INTO ledger (id, account_id, amount, kind, description, reference, refund_of, balance_after, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            entry.id,
            account_id,
            amount,
            kind.as_str(),
            entry.description,
            entry.reference,
            refund_of,
            balance_after,
            entry.created_at
        ],
    )?;
    Ok(entry)
}

/// Refunds `charge_id` inside the caller's transaction; `None` when already refunded.
pub(super) fn refund_in(tx: &rusqlite::Transaction<'_>, charge_id: &str, reason: &str) -> Result<Option<LedgerEntry>> {
    let charge: Option<(String, i64, String)> = tx
        .query_row("SELECT account_id, amount, kind FROM ledger WHERE id = ?1", [charge_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((account_id, amount, kind)) = charge else { return Err(StorageError::NotFound("charge")) };
    if kind != "charge" {
        return Err(StorageError::Conflict(format!("{charge_id} is not a charge")));
    }
    let already: bool =
        tx.query_row("SELECT EXISTS(SELECT 1 FROM ledger WHERE refund_of = ?1)", [charge_id], |r| r.get(0))?;
    if already {
        return Ok(None);
    }
    post_entry(tx, &account_id, -amount, EntryKind::Refund, reason, Some(charge_id), Some(charge_id)).map(Some)
}

fn ledger_row(r: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    let kind: String = r.get(2)?;
    let kind = EntryKind::parse(&kind).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            Box::new(std::io::Error::other(e.to_string())),
        )
    })?;
    Ok(LedgerEntry {
        id: r.get(0)?,
        amount: r.get(1)?,
        kind,
        description: r.get(3)?,
        reference: r.get(4)?,
        balance_after: r.get(5)?,
        created_at: r.get(6)?,
    })
}

pub(super) fn json_col(s: String) -> Result<Value> {
    serde_json::from_str(&s).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl AccountStore for SqliteStore {
    fn create_account(
        &self,
        name: &str,
        credits: i64,
        rate_per_minute: Option<u32>,
        key_hash: &[u8],
        key_prefix: &str,
    ) -> Result<(Account, String)> {
        let account = Account {
            id: new_id("acct"),
            name: name.to_string(),
            balance: 0,
            rate_per_minute,
            callback_secret: crate::webhooks::new_secret(),
            created_at: now_ms(),
        };
        let key_id = new_id("key");
        let balance = self.write(|tx| {
            tx.execute(
                "INSERT INTO accounts (id, name, balance, rate_per_minute, callback_secret, created_at) VALUES (?1, ?2, 0, ?3, ?4, ?5)",
                params![account.id, account.name, rate_per_minute, account.callback_secret, account.created_at],
            )?;
            tx.execute(
                "INSERT INTO api_keys (id, account_id, name, prefix, key_hash, created_at) VALUES (?1, ?2, 'default', ?3, ?4, ?5)",
                params![key_id, account.id, key_prefix, key_hash, account.created_at],
            )?;
            if credits > 0 {
                post_entry(tx, &account.id, credits, EntryKind::Purchase, "initial credits", None, None)?;
            }
            Ok(credits.max(0))
        })?;
        Ok((Account { balance, ..account }, key_id))
    }

    fn account(&self, account_id: &str) -> Result<Account> {
        self.read(|c| {
            c.query_row(
                "SELECT id, name, balance, rate_per_minute, callback_secret, created_at FROM accounts WHERE id = ?1",
                [account_id],
                |r| {
                    Ok(Account {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        balance: r.get(2)?,
                        rate_per_minute: r.get(3)?,
                        callback_secret: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                },
            )
            .optional()?
            .ok_or(StorageError::NotFound("account"))
        })
    }

    fn add_key(&self, account_id: &str, name: &str, key_hash: &[u8], key_prefix: &str) -> Result<ApiKeyRow> {
        let row = ApiKeyRow {
            id: new_id("key"),
            name: name.to_string(),
            prefix: key_prefix.to_string(),
            created_at: now_ms(),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO api_keys (id, account_id, name, prefix, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row.id, account_id, row.name, row.prefix, key_hash, row.created_at],
            )?;
            Ok(())
        })?;
        Ok(row)
    }

    fn list_keys(&self, account_id: &str) -> Result<Vec<ApiKeyRow>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, name, prefix, created_at FROM api_keys WHERE account_id = ?1 ORDER BY created_at, id",
            )?;
            let rows = st.query_map([account_id], |r| {
                Ok(ApiKeyRow { id: r.get(0)?, name: r.get(1)?, prefix: r.get(2)?, created_at: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn delete_key(&self, account_id: &str, key_id: &str) -> Result<()> {
        self.write(|tx| {
            let n =
                tx.execute("DELETE FROM api_keys WHERE id = ?1 AND account_id = ?2", params![key_id, account_id])?;
            if n == 0 { Err(StorageError::NotFound("key")) } else { Ok(()) }
        })
    }

    fn key_lookup(&self, key_hash: &[u8]) -> Result<Option<KeyInfo>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT k.id, k.account_id, a.rate_per_minute FROM api_keys k JOIN accounts a ON a.id = k.account_id
                 WHERE k.key_hash = ?1",
            )?
            .query_row([key_hash], |r| {
                Ok(KeyInfo { key_id: r.get(0)?, account_id: r.get(1)?, rate_per_minute: r.get(2)? })
            })
            .optional()?)
        })
    }
}

impl LedgerStore for SqliteStore {
    fn purchase(&self, account_id: &str, amount: i64, description: &str) -> Result<LedgerEntry> {
        self.write(|tx| post_entry(tx, account_id, amount.abs(), EntryKind::Purchase, description, None, None))
    }

    fn charge(&self, account_id: &str, amount: i64, description: &str, reference: Option<&str>) -> Result<LedgerEntry> {
        self.write(|tx| post_entry(tx, account_id, -amount.abs(), EntryKind::Charge, description, reference, None))
    }

    fn refund(&self, charge_id: &str, reason: &str) -> Result<Option<LedgerEntry>> {
        self.write(|tx| refund_in(tx, charge_id, reason))
    }

    fn transactions(&self, account_id: &str, page: Page) -> Result<(Vec<LedgerEntry>, i64)> {
        self.read(|c| {
            let total: i64 =
                c.query_row("SELECT COUNT(*) FROM ledger WHERE account_id = ?1", [account_id], |r| r.get(0))?;
            let mut st = c.prepare_cached(
                "SELECT id, amount, kind, description, reference, balance_after, created_at FROM ledger
                 WHERE account_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2 OFFSET ?3",
            )?;
            let rows = st.query_map(params![account_id, page.limit, page.offset], ledger_row)?;
            let out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((out, total))
        })
    }
}

/// request hash, stored status, content type, body, created at.
type IdemRow = (String, Option<u16>, Option<String>, Option<Vec<u8>>, i64);

impl IdempotencyStore for SqliteStore {
    fn idem_begin(&self, account_id: &str, key: &str, request_hash: &str, stale_after_ms: i64) -> Result<IdemBegin> {
        let now = now_ms();
        self.write(|tx| {
            let row: Option<IdemRow> = tx
                .query_row(
                    "SELECT request_hash, status, content_type, body, created_at FROM idempotency WHERE account_id = ?1 AND key = ?2",
                    params![account_id, key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            match row {
                None => {
                    tx.execute(
                        "INSERT INTO idempotency (account_id, key, request_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                        params![account_id, key, request_hash, now],
                    )?;
                    Ok(IdemBegin::Started)
                }
                Some((hash, _, _, _, _)) if hash != request_hash => Ok(IdemBegin::Mismatch),
                Some((_, Some(status), ct, body, _)) => Ok(IdemBegin::Replay(StoredResponse {
                    status,
                    content_type: ct.unwrap_or_default(),
                    body: body.unwrap_or_default(),
                })),
                // A pending record whose request died with its process: take it over.
                Some((_, None, _, _, created)) if now - created > stale_after_ms => {
                    tx.execute(
                        "UPDATE idempotency SET created_at = ?3 WHERE account_id = ?1 AND key = ?2",
                        params![account_id, key, now],
                    )?;
                    Ok(IdemBegin::Started)
                }
                Some(_) => Ok(IdemBegin::InProgress),
            }
        })
    }

    fn idem_finish(&self, account_id: &str, key: &str, response: &StoredResponse) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE idempotency SET status = ?3, content_type = ?4, body = ?5 WHERE account_id = ?1 AND key = ?2",
                params![account_id, key, response.status, response.content_type, response.body],
            )?;
            Ok(())
        })
    }

    fn idem_abandon(&self, account_id: &str, key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM idempotency WHERE account_id = ?1 AND key = ?2 AND status IS NULL",
                params![account_id, key],
            )?;
            Ok(())
        })
    }
}

/// Keeps the FTS index in step with an object, in the caller's transaction.
pub(super) fn index_object(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    kind: &str,
    id: &str,
    title: &str,
    body: &str,
    created_at: Millis,
) -> Result<()> {
    tx.execute("DELETE FROM search_index WHERE object_id = ?1", [id])?;
    tx.execute(
        "INSERT INTO search_index (title, body, account_id, kind, object_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![title, body, account_id, kind, id, created_at],
    )?;
    Ok(())
}

/// The searchable text of a project: its name, participants and message texts.
pub(super) fn project_text(project: &Value) -> String {
    let mut out = String::new();
    if let Some(ps) = project.get("participants").and_then(Value::as_array) {
        for p in ps {
            if let Some(n) = p.get("name").and_then(Value::as_str) {
                out.push_str(n);
                out.push(' ');
            }
        }
    }
    if let Some(ms) = project.get("messages").and_then(Value::as_array) {
        for m in ms {
            if let Some(t) = m.get("text").and_then(Value::as_str) {
                out.push_str(t);
                out.push('\n');
            }
        }
    }
    out
}

fn conversation_row(r: &Row<'_>) -> rusqlite::Result<(String, String, String, i64, String, i64, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn to_conversation(row: (String, String, String, i64, String, i64, i64)) -> Result<Conversation> {
    let (id, account_id, name, revision, project, created_at, updated_at) = row;
    Ok(Conversation { id, account_id, name, revision, project: json_col(project)?, created_at, updated_at })
}

const CONV_COLS: &str = "id, account_id, name, revision, project, created_at, updated_at";

fn conversation_in(c: &Connection, account_id: &str, id: &str) -> Result<Conversation> {
    let row = c
        .prepare_cached(&format!("SELECT {CONV_COLS} FROM conversations WHERE id = ?1 AND account_id = ?2"))?
        .query_row(params![id, account_id], conversation_row)
        .optional()?
        .ok_or(StorageError::NotFound("conversation"))?;
    to_conversation(row)
}

impl ConversationStore for SqliteStore {
    fn create_conversation(&self, account_id: &str, name: &str, project: &Value) -> Result<Conversation> {
        let now = now_ms();
        let conv = Conversation {
            id: new_id("conv"),
            account_id: account_id.to_string(),
            name: name.to_string(),
            revision: 1,
            project: project.clone(),
            created_at: now,
            updated_at: now,
        };
        self.write(|tx| {
            tx.execute(
                &format!("INSERT INTO conversations ({CONV_COLS}) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)"),
                params![conv.id, account_id, name, project.to_string(), now],
            )?;
            index_object(tx, account_id, "conversation", &conv.id, name, &project_text(project), now)
        })?;
        Ok(conv)
    }

    fn conversation(&self, account_id: &str, id: &str) -> Result<Conversation> {
        self.read(|c| conversation_in(c, account_id, id))
    }

    fn update_conversation(
        &self,
        account_id: &str,
        id: &str,
        expected_revision: Option<i64>,
        name: &str,
        project: &Value,
    ) -> Result<std::result::Result<Conversation, Conversation>> {
        self.write(|tx| {
            let current = conversation_in(tx, account_id, id)?;
            if expected_revision != Some(current.revision) {
                return Ok(Err(current));
            }
            let now = now_ms();
            tx.execute(
                "UPDATE conversations SET name = ?1, project = ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?4",
                params![name, project.to_string(), now, id],
            )?;
            index_object(tx, account_id, "conversation", id, name, &project_text(project), current.created_at)?;
            Ok(Ok(Conversation {
                name: name.to_string(),
                project: project.clone(),
                revision: current.revision + 1,
                updated_at: now,
                ..current
            }))
        })
    }

    fn delete_conversation(
        &self,
        account_id: &str,
        id: &str,
        expected_revision: Option<i64>,
    ) -> Result<Option<Conversation>> {
        self.write(|tx| {
            let current = conversation_in(tx, account_id, id)?;
            if expected_revision.is_some_and(|r| r != current.revision) {
                return Ok(Some(current));
            }
            tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
            tx.execute("DELETE FROM search_index WHERE object_id = ?1", [id])?;
            Ok(None)
        })
    }

    fn list_conversations(&self, account_id: &str, page: Page) -> Result<(Vec<Conversation>, i64)> {
        self.read(|c| {
            let total: i64 =
                c.query_row("SELECT COUNT(*) FROM conversations WHERE account_id = ?1", [account_id], |r| r.get(0))?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {CONV_COLS} FROM conversations WHERE account_id = ?1 ORDER BY updated_at DESC, id LIMIT ?2 OFFSET ?3"
            ))?;
            let rows = st.query_map(params![account_id, page.limit, page.offset], conversation_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(to_conversation(row?)?);
            }
            Ok((out, total))
        })
    }
}

impl SearchStore for SqliteStore {
    fn search(&self, account_id: &str, query: &str, kind: Option<&str>, page: Page) -> Result<(Vec<SearchHit>, i64)> {
        let fts = fts_query(query);
        if fts.is_empty() {
            return Ok((Vec::new(), 0));
        }
        self.read(|c| {
            let total: i64 = c.query_row(
                "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ?1 AND account_id = ?2 AND (?3 IS NULL OR kind = ?3)",
                params![fts, account_id, kind],
                |r| r.get(0),
            )?;
            let mut st = c.prepare_cached(
                "SELECT kind, object_id, title, snippet(search_index, 1, '[', ']', '…', 12), created_at FROM search_index
                 WHERE search_index MATCH ?1 AND account_id = ?2 AND (?3 IS NULL OR kind = ?3)
                 ORDER BY rank LIMIT ?4 OFFSET ?5",
            )?;
            let rows = st.query_map(params![fts, account_id, kind, page.limit, page.offset], |r| {
                Ok(SearchHit { kind: r.get(0)?, id: r.get(1)?, title: r.get(2)?, snippet: r.get(3)?, created_at: r.get(4)? })
            })?;
            Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
        })
    }
}

/// Turns free text into an FTS5 query of quoted prefix terms, so user input can never be FTS
/// syntax (an unbalanced quote or `NEAR(` would otherwise be a 500).
pub(crate) fn fts_query(q: &str) -> String {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(16)
        .map(|t| format!("\"{}\"*", t.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_neutralises_syntax() {
        assert_eq!(fts_query("hello \"wor NEAR("), "\"hello\"* \"wor\"* \"near\"*");
        assert_eq!(fts_query("  ** "), "");
    }

    #[test]
    fn refunds_happen_once_and_balance_never_negative() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("db.sqlite")).unwrap();
        let (acct, _) = s.create_account("t", 5, None, b"h", "cf_x").unwrap();
        let c = s.charge(&acct.id, 5, "x", None).unwrap();
        assert!(matches!(s.charge(&acct.id, 1, "x", None), Err(StorageError::InsufficientCredits { .. })));
        assert!(s.refund(&c.id, "r").unwrap().is_some());
        assert!(s.refund(&c.id, "r").unwrap().is_none());
        assert_eq!(s.account(&acct.id).unwrap().balance, 5);
    }
}
