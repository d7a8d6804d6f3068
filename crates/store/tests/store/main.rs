//! Integration tests of the library store: one binary, one module per feature.

mod journal;
mod library;
mod media_settings;
mod search;

use chatframe_store::{NewProject, ProjectMeta, Store};

/// A library in a fresh temporary folder (on tmpfs when there is one: these tests check logic,
/// not the disk, and fsync on a real disk would make them slow).
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = temp_dir();
    let store = Store::open(&dir.path().join("library.sqlite3")).unwrap();
    (dir, store)
}

pub fn temp_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm).unwrap() } else { tempfile::tempdir().unwrap() }
}

pub fn meta(name: &str, messages: u32) -> ProjectMeta {
    ProjectMeta {
        name: name.into(),
        platform: "imessage".into(),
        appearance: "light".into(),
        message_count: messages,
        duration_us: i64::from(messages) * 1_000_000,
    }
}

/// A document shaped like a project (the store only reads `messages[].text` from it).
pub fn doc(name: &str, texts: &[&str]) -> String {
    let messages: Vec<_> = texts.iter().map(|t| serde_json::json!({"text": t})).collect();
    serde_json::json!({"name": name, "messages": messages}).to_string()
}

pub fn add(store: &mut Store, id: &str, name: &str, texts: &[&str]) {
    let m = meta(name, texts.len() as u32);
    let d = doc(name, texts);
    store.create_project(&NewProject { id, document: &d, meta: &m, poster: None }).unwrap();
}
