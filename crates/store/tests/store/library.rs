use chatframe_store::{DocUpdate, JournalStep, NewProject, Store, StoreError};

use crate::{add, doc, meta, temp_dir, temp_store};

#[test]
fn opening_sets_wal_full_sync_and_current_schema() {
    let (_dir, store) = temp_store();
    assert_eq!(store.synchronous_level().unwrap(), 2, "synchronous=FULL");
    assert!(store.integrity_check().is_ok());
    // Bytes 18 and 19 of the file header are 2 when the database is in WAL mode.
    let header = std::fs::read(store.path()).unwrap();
    assert_eq!((header[18], header[19]), (2, 2), "journal_mode=WAL");
}

#[test]
fn create_list_and_read_back() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "Alpha", &["hi"]);
    std::thread::sleep(std::time::Duration::from_millis(2));
    add(&mut store, "b", "Beta", &["yo", "there"]);
    let list = store.list_projects().unwrap();
    assert_eq!(list.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["b", "a"], "newest first");
    let b = store.project("b").unwrap();
    assert_eq!(b.summary.meta.message_count, 2);
    assert_eq!(b.summary.revision, 0);
    assert_eq!(b.document, doc("Beta", &["yo", "there"]));
    let dup = store.create_project(&NewProject { id: "a", document: "{}", meta: &meta("x", 0), poster: None });
    assert_eq!(dup.unwrap_err().code(), "ALREADY_EXISTS");
    assert_eq!(store.project("zzz").unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn commits_survive_reopen_and_stale_revisions_conflict() {
    let dir = temp_dir();
    let path = dir.path().join("lib.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        add(&mut store, "p", "P", &["one"]);
        let d = doc("P", &["one", "two"]);
        let m = meta("P", 2);
        let c = store.commit("p", 0, &DocUpdate { document: &d, meta: &m }, JournalStep::None).unwrap();
        assert_eq!(c.revision, 1);
        let err = store.commit("p", 0, &DocUpdate { document: &d, meta: &m }, JournalStep::None).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { expected: 0, found: 1, .. }), "{err}");
    }
    let store = Store::open(&path).unwrap();
    let p = store.project("p").unwrap();
    assert_eq!(p.summary.revision, 1);
    assert_eq!(p.document, doc("P", &["one", "two"]));
    assert_eq!(p.summary.meta.message_count, 2);
}

#[test]
fn trash_restore_and_purge() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "Alpha", &["hi"]);
    add(&mut store, "b", "Beta", &["yo"]);
    store.trash("a").unwrap();
    assert_eq!(store.list_projects().unwrap().len(), 1);
    let trash = store.list_trash().unwrap();
    assert_eq!(trash.len(), 1);
    assert!(trash[0].trashed_at.is_some());
    store.restore("a").unwrap();
    assert_eq!(store.list_projects().unwrap().len(), 2);
    assert!(store.list_trash().unwrap().is_empty());

    store.trash("b").unwrap();
    store.purge("b").unwrap();
    assert_eq!(store.project("b").unwrap_err().code(), "NOT_FOUND");
    assert!(store.journal("b").unwrap().is_empty());
    assert_eq!(store.trash("b").unwrap_err().code(), "NOT_FOUND");

    store.trash("a").unwrap();
    assert_eq!(store.empty_trash(0).unwrap(), 0, "nothing deleted before the epoch");
    assert_eq!(store.empty_trash(i64::MAX).unwrap(), 1);
    assert!(store.list_trash().unwrap().is_empty());
    assert!(store.integrity_check().is_ok());
}

#[test]
fn posters_are_cached_per_revision_without_bumping_it() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "Alpha", &["hi"]);
    assert_eq!(store.poster("a").unwrap(), None);
    store.set_poster("a", b"\x89PNG", 0).unwrap();
    assert_eq!(store.poster("a").unwrap(), Some((b"\x89PNG".to_vec(), 0)));
    let s = store.summary("a").unwrap();
    assert_eq!((s.revision, s.poster_revision), (0, Some(0)));
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = temp_dir();
    let path = dir.path().join("lib.sqlite3");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    assert_eq!(Store::open(&path).unwrap_err().code(), "LIBRARY_TOO_NEW");
}
