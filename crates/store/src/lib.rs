//! The local library: one SQLite file holding every project, its edit journal, media, settings
//! and the cloud sync queue. The studio writes each acknowledged edit here before it answers the
//! UI, so this crate is what makes "a crash loses no acknowledged edit" true.
//!
//! Documents are opaque JSON text to this crate (the studio owns their meaning); search reads the
//! message texts straight out of that JSON with SQLite's JSON functions.

mod error;
mod media;
mod projects;
mod schema;
mod settings;
mod store;
mod sync;

pub use error::StoreError;
pub use media::MediaInfo;
pub use projects::{
    Committed, DocUpdate, JournalEntry, JournalStep, NewProject, ProjectMeta, ProjectRecord, ProjectSummary,
};
pub use schema::SCHEMA_VERSION;
pub use store::{JOURNAL_LIMIT, Store, StoreOptions, Synchronous};
pub use sync::SyncItem;

/// Milliseconds since the Unix epoch: what every `*_at` column holds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
