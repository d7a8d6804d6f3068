use chatframe_store::{DocUpdate, JournalStep};

use crate::{add, doc, meta, temp_store};

fn ids(v: Vec<chatframe_store::ProjectSummary>) -> Vec<String> {
    let mut ids: Vec<String> = v.into_iter().map(|p| p.id).collect();
    ids.sort();
    ids
}

#[test]
fn finds_by_name_and_message_text_with_prefixes_and_accents() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "Snow day", &["Are you up?", "Look outside"]);
    add(&mut store, "b", "Party plans", &["Café at nine?", "Bring snacks ❄️"]);
    add(&mut store, "c", "Empty", &[]);
    assert_eq!(ids(store.search("snow", 10).unwrap()), ["a"]);
    assert_eq!(ids(store.search("outs", 10).unwrap()), ["a"], "prefix match in message text");
    assert_eq!(ids(store.search("cafe", 10).unwrap()), ["b"], "accent-insensitive");
    assert_eq!(ids(store.search("PARTY snack", 10).unwrap()), ["b"], "every word must match");
    assert!(store.search("snow party", 10).unwrap().is_empty());
    assert_eq!(store.search("", 10).unwrap().len(), 3, "empty query lists all");
    // FTS syntax in user input is plain text, never an error.
    for q in ["\"", "a OR", "NEAR(", "*", "-x", "col:umn"] {
        store.search(q, 10).unwrap();
    }
}

#[test]
fn edits_renames_trash_and_purge_are_reflected() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "Alpha", &["hello"]);
    assert_eq!(ids(store.search("hello", 10).unwrap()), ["a"]);
    let d = doc("Renamed", &["goodbye"]);
    let m = meta("Renamed", 1);
    store.commit("a", 0, &DocUpdate { document: &d, meta: &m }, JournalStep::None).unwrap();
    assert!(store.search("hello", 10).unwrap().is_empty());
    assert!(store.search("alpha", 10).unwrap().is_empty());
    assert_eq!(ids(store.search("goodbye renamed", 10).unwrap()), ["a"]);
    store.trash("a").unwrap();
    assert!(store.search("goodbye", 10).unwrap().is_empty(), "trashed projects are not found");
    store.restore("a").unwrap();
    assert_eq!(ids(store.search("goodbye", 10).unwrap()), ["a"]);
    store.purge("a").unwrap();
    assert!(store.search("goodbye", 10).unwrap().is_empty());
    assert!(store.integrity_check().is_ok());
}
