//! Storage behind traits. The embedded default is SQLite ([`SqliteStore`]); a PostgreSQL store for
//! running on several machines implements the same traits. Methods are blocking: handlers call
//! them through `tokio::task::spawn_blocking` (see [`crate::state::AppState::db`]).
//!
//! Every operation that moves credits is one transaction in the store, so the invariants (a
//! balance never below zero, a refund at most once per charge, a job never without its charge)
//! hold whatever the callers do concurrently.

mod objects;
mod sqlite;
mod sqlite_jobs;

pub use objects::{LocalObjects, ObjectStore};
pub use sqlite::{PRESET_VOICES, SqliteStore};

use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("insufficient credits: need {needed}, have {balance}")]
    InsufficientCredits { needed: i64, balance: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Corrupt(String),
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch; formatted as RFC 3339 at the API edge.
pub type Millis = i64;

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub balance: i64,
    /// Per-account rate tier; `None` = the configured default.
    pub rate_per_minute: Option<u32>,
    /// Secret that signs template-render callbacks (webhook endpoints have their own).
    pub callback_secret: String,
    pub created_at: Millis,
}

/// What an API key resolves to; cached by the auth layer.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub key_id: String,
    pub account_id: String,
    pub rate_per_minute: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    /// First characters of the key so a person can tell keys apart; the rest is never stored.
    pub prefix: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Purchase,
    Charge,
    Refund,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Purchase => "purchase",
            EntryKind::Charge => "charge",
            EntryKind::Refund => "refund",
        }
    }
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "purchase" => EntryKind::Purchase,
            "charge" => EntryKind::Charge,
            "refund" => EntryKind::Refund,
            other => return Err(StorageError::Corrupt(format!("ledger kind {other}"))),
        })
    }
}

#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub id: String,
    /// Signed: purchases and refunds positive, charges negative.
    pub amount: i64,
    pub kind: EntryKind,
    pub description: String,
    /// What the entry is for (a job id, a voice id, the charge a refund reverses).
    pub reference: Option<String>,
    pub balance_after: i64,
    pub created_at: Millis,
}

/// A stored response for `Idempotency-Key` replays.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum IdemBegin {
    /// First use of the key: the caller runs the request and then finishes or abandons it.
    Started,
    Replay(StoredResponse),
    /// Same key, different request.
    Mismatch,
    /// Another request with this key is running now.
    InProgress,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub revision: i64,
    pub project: Value,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Debug, Clone)]
pub struct Voice {
    pub id: String,
    /// `None` for presets, which every account sees.
    pub account_id: Option<String>,
    pub name: String,
    pub language: String,
    /// espeak-ng voice variant (`en-us+f3`) the built-in engine speaks with.
    pub engine_voice: String,
    /// espeak-ng pitch 0-99.
    pub pitch: u32,
    /// Words per minute.
    pub rate: u32,
    /// What the voice engine measured from the sample (clones only).
    pub analysis: Value,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct Character {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub voice_id: String,
    pub language: String,
    pub personality: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Export,
    Render,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Export => "export",
            JobKind::Render => "render",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Processing,
    Done,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Processing => "processing",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "queued" => JobStatus::Queued,
            "processing" => JobStatus::Processing,
            "done" => JobStatus::Done,
            "failed" => JobStatus::Failed,
            other => return Err(StorageError::Corrupt(format!("job status {other}"))),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub account_id: String,
    pub kind: JobKind,
    pub status: JobStatus,
    /// 0.0 ..= 1.0
    pub progress: f64,
    pub conversation_id: String,
    /// Format, resolution, watermark, variables: what the worker needs besides the project.
    pub params: Value,
    /// The project to render, frozen at creation (variables already filled in).
    pub project: Value,
    pub credits: i64,
    pub charge_id: Option<String>,
    pub duration_secs: f64,
    pub output_path: Option<String>,
    pub output_bytes: Option<i64>,
    pub error: Option<String>,
    pub client_request_id: Option<String>,
    pub callback_url: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub completed_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewJob {
    pub id: String,
    pub account_id: String,
    pub kind: JobKind,
    pub conversation_id: String,
    pub params: Value,
    pub project: Value,
    pub credits: i64,
    pub duration_secs: f64,
    pub client_request_id: Option<String>,
    pub callback_url: Option<String>,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct WebhookEndpoint {
    pub id: String,
    pub account_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    pub description: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct Delivery {
    /// Also the `webhook-id` header: the same on every retry so receivers can deduplicate.
    pub id: String,
    pub account_id: String,
    pub endpoint_id: Option<String>,
    pub url: String,
    pub event: String,
    pub payload: String,
    pub secret: String,
    /// `pending`, `succeeded` or `failed` (gave up after the last retry).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub created_at: Millis,
}

/// A page request: `limit` items after skipping `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

pub trait AccountStore: Send + Sync {
    /// Creates an account with an initial purchase of `credits` and its first key.
    fn create_account(
        &self,
        name: &str,
        credits: i64,
        rate_per_minute: Option<u32>,
        key_hash: &[u8],
        key_prefix: &str,
    ) -> Result<(Account, String)>;
    fn account(&self, account_id: &str) -> Result<Account>;
    fn add_key(&self, account_id: &str, name: &str, key_hash: &[u8], key_prefix: &str) -> Result<ApiKeyRow>;
    fn list_keys(&self, account_id: &str) -> Result<Vec<ApiKeyRow>>;
    fn delete_key(&self, account_id: &str, key_id: &str) -> Result<()>;
    fn key_lookup(&self, key_hash: &[u8]) -> Result<Option<KeyInfo>>;
}

pub trait LedgerStore: Send + Sync {
    fn purchase(&self, account_id: &str, amount: i64, description: &str) -> Result<LedgerEntry>;
    /// Fails with `InsufficientCredits` rather than letting the balance go below zero.
    fn charge(&self, account_id: &str, amount: i64, description: &str, reference: Option<&str>) -> Result<LedgerEntry>;
    /// Reverses a charge; `None` when it was already refunded (refunds happen exactly once).
    fn refund(&self, charge_id: &str, reason: &str) -> Result<Option<LedgerEntry>>;
    fn transactions(&self, account_id: &str, page: Page) -> Result<(Vec<LedgerEntry>, i64)>;
}

pub trait IdempotencyStore: Send + Sync {
    fn idem_begin(&self, account_id: &str, key: &str, request_hash: &str, stale_after_ms: i64) -> Result<IdemBegin>;
    fn idem_finish(&self, account_id: &str, key: &str, response: &StoredResponse) -> Result<()>;
    /// Forgets a key whose request failed on our side, so the client can retry it.
    fn idem_abandon(&self, account_id: &str, key: &str) -> Result<()>;
}

pub trait ConversationStore: Send + Sync {
    fn create_conversation(&self, account_id: &str, name: &str, project: &Value) -> Result<Conversation>;
    fn conversation(&self, account_id: &str, id: &str) -> Result<Conversation>;
    /// Writes a new revision when `expected_revision` matches; otherwise `Err(Ok(current))`.
    fn update_conversation(
        &self,
        account_id: &str,
        id: &str,
        expected_revision: Option<i64>,
        name: &str,
        project: &Value,
    ) -> Result<std::result::Result<Conversation, Conversation>>;
    fn delete_conversation(
        &self,
        account_id: &str,
        id: &str,
        expected_revision: Option<i64>,
    ) -> Result<Option<Conversation>>;
    fn list_conversations(&self, account_id: &str, page: Page) -> Result<(Vec<Conversation>, i64)>;
}

pub trait VoiceStore: Send + Sync {
    fn voices(&self, account_id: &str) -> Result<Vec<Voice>>;
    /// A preset, or a clone of this account.
    fn voice(&self, account_id: &str, id: &str) -> Result<Voice>;
    /// Stores a clone and charges for it in one transaction.
    fn create_cloned_voice(&self, voice: &Voice, credits: i64) -> Result<(Voice, LedgerEntry)>;
    fn delete_voice(&self, account_id: &str, id: &str) -> Result<()>;
    fn create_character(&self, character: &Character) -> Result<Character>;
    fn character(&self, account_id: &str, id: &str) -> Result<Character>;
    fn characters(&self, account_id: &str, page: Page) -> Result<(Vec<Character>, i64)>;
    fn delete_character(&self, account_id: &str, id: &str) -> Result<()>;
}

pub trait JobStore: Send + Sync {
    /// Charges the job's credits and queues it in one transaction.
    fn create_job(&self, job: &NewJob) -> Result<Job>;
    fn job(&self, account_id: &str, kind: JobKind, id: &str) -> Result<Job>;
    /// Any account: used by signed download links, which carry their own authorization.
    fn job_any(&self, id: &str) -> Result<Job>;
    fn job_by_client_request_id(&self, account_id: &str, client_request_id: &str) -> Result<Option<Job>>;
    fn list_jobs(&self, account_id: &str, kind: JobKind, page: Page) -> Result<(Vec<Job>, i64)>;
    /// Takes the oldest queued job for a worker.
    fn claim_job(&self) -> Result<Option<Job>>;
    fn set_progress(&self, id: &str, progress: f64) -> Result<()>;
    fn complete_job(&self, id: &str, output_path: &str, output_bytes: i64) -> Result<Job>;
    /// Marks the job failed and refunds its charge exactly once.
    fn fail_job(&self, id: &str, error: &str) -> Result<Job>;
    /// Cancels a queued job (failed + refunded) and returns it as it now is; a running or
    /// finished job is returned unchanged (the worker cancels a running one).
    fn cancel_queued(&self, account_id: &str, kind: JobKind, id: &str) -> Result<Job>;
    /// Jobs left `processing` by a previous run go back to the queue.
    fn requeue_interrupted(&self) -> Result<usize>;
}

pub trait WebhookStore: Send + Sync {
    fn create_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<WebhookEndpoint>;
    fn endpoints(&self, account_id: &str) -> Result<Vec<WebhookEndpoint>>;
    fn endpoint(&self, account_id: &str, id: &str) -> Result<WebhookEndpoint>;
    fn delete_endpoint(&self, account_id: &str, id: &str) -> Result<()>;
    /// Queues one delivery per endpoint subscribed to `event` (plus `extra` targets such as a
    /// render's callback URL: endpoint id or none, URL, secret). Returns the deliveries created.
    fn enqueue_event(
        &self,
        account_id: &str,
        event: &str,
        payload: &str,
        extra: Option<(Option<&str>, &str, &str)>,
    ) -> Result<Vec<Delivery>>;
    fn due_deliveries(&self, now: Millis, limit: i64) -> Result<Vec<Delivery>>;
    fn record_attempt(
        &self,
        id: &str,
        status_code: Option<i64>,
        error: Option<&str>,
        next_attempt_at: Option<Millis>,
    ) -> Result<()>;
    fn deliveries(&self, account_id: &str, endpoint_id: &str, page: Page) -> Result<(Vec<Delivery>, i64)>;
}

pub trait SearchStore: Send + Sync {
    /// Full-text search over the account's conversations and exports; `kind` narrows it.
    fn search(&self, account_id: &str, query: &str, kind: Option<&str>, page: Page) -> Result<(Vec<SearchHit>, i64)>;
}

/// Everything the API needs from storage.
pub trait Storage:
    AccountStore + LedgerStore + IdempotencyStore + ConversationStore + VoiceStore + JobStore + WebhookStore + SearchStore
{
}

impl<T> Storage for T where
    T: AccountStore
        + LedgerStore
        + IdempotencyStore
        + ConversationStore
        + VoiceStore
        + JobStore
        + WebhookStore
        + SearchStore
{
}

pub fn now_ms() -> Millis {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Random object ids with a type prefix (`conv_…`, `exp_…`) so a misplaced id is obvious.
pub fn new_id(prefix: &str) -> String {
    let bytes: [u8; 12] = rand::random();
    format!("{prefix}_{}", hex::encode(bytes))
}
