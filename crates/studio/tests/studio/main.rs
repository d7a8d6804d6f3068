//! Integration tests of the studio API: one binary, one module per feature.

mod crash;
mod exports;
mod files;
mod library;
mod ops;
mod persistence;
mod preview;
mod props;

use chatframe_studio::{CreateProject, Session, Studio, Template};

/// A library in a fresh temporary folder, on tmpfs when there is one: these tests check logic
/// and crash consistency (a killed process, not a lost disk), so fsync speed is irrelevant.
pub fn temp_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm).unwrap() } else { tempfile::tempdir().unwrap() }
}

pub fn temp_studio() -> (tempfile::TempDir, Studio) {
    let dir = temp_dir();
    let studio = Studio::open(&dir.path().join("library.sqlite3")).unwrap();
    (dir, studio)
}

/// A studio with one starter project open.
pub fn starter_session() -> (tempfile::TempDir, Studio, Session) {
    let (dir, mut studio) = temp_studio();
    let p = studio.create(&CreateProject { name: Some("Test".into()), template: Template::Starter }).unwrap();
    let session = studio.open_project(&p.id).unwrap();
    (dir, studio, session)
}
