use chatframe_store::{DocUpdate, JOURNAL_LIMIT, JournalStep, Store};

use crate::{add, doc, meta, temp_dir, temp_store};

fn push(store: &mut Store, rev: u64, n: usize) -> u64 {
    let d = doc("P", &vec!["x"; n]);
    let m = meta("P", n as u32);
    let op = format!("op{n}");
    let inv = format!("inv{n}");
    store
        .commit("p", rev, &DocUpdate { document: &d, meta: &m }, JournalStep::Push { op: &op, inverse: &inv })
        .unwrap();
    rev + 1
}

fn step(store: &mut Store, rev: u64, step: JournalStep<'_>) -> u64 {
    let d = doc("P", &[]);
    let m = meta("P", 0);
    store.commit("p", rev, &DocUpdate { document: &d, meta: &m }, step).unwrap().journal_head
}

#[test]
fn journal_tracks_undo_redo_and_drops_redo_on_new_edit() {
    let dir = temp_dir();
    let path = dir.path().join("lib.sqlite3");
    let mut store = Store::open(&path).unwrap();
    add(&mut store, "p", "P", &[]);
    let mut rev = 0;
    for n in 1..=3 {
        rev = push(&mut store, rev, n);
    }
    assert_eq!(store.project("p").unwrap().journal_head, 3);
    assert_eq!(step(&mut store, rev, JournalStep::Undo), 2);
    rev += 1;
    assert_eq!(step(&mut store, rev, JournalStep::Undo), 1);
    rev += 1;
    assert_eq!(step(&mut store, rev, JournalStep::Redo), 2);
    rev += 1;
    drop(store);

    // After a restart the journal still says which rows are undo and which are redo.
    let mut store = Store::open(&path).unwrap();
    let p = store.project("p").unwrap();
    assert_eq!((p.journal_head, p.summary.revision), (2, rev));
    let j = store.journal("p").unwrap();
    assert_eq!(j.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!((j[2].op.as_str(), j[2].inverse.as_str()), ("op3", "inv3"));

    // A new edit at head 2 replaces the redo row 3.
    push(&mut store, rev, 9);
    let j = store.journal("p").unwrap();
    assert_eq!(j.iter().map(|e| (e.seq, e.op.as_str())).collect::<Vec<_>>(), [(1, "op1"), (2, "op2"), (3, "op9")]);
}

#[test]
fn undo_with_an_empty_journal_is_refused_and_changes_nothing() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "p", "P", &["a"]);
    let d = doc("P", &[]);
    let m = meta("P", 0);
    let err = store.commit("p", 0, &DocUpdate { document: &d, meta: &m }, JournalStep::Undo).unwrap_err();
    assert_eq!(err.code(), "NOTHING_TO_UNDO");
    let p = store.project("p").unwrap();
    assert_eq!((p.summary.revision, p.document.as_str()), (0, doc("P", &["a"]).as_str()));
}

#[test]
fn journal_is_pruned_to_its_limit() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "p", "P", &[]);
    let total = JOURNAL_LIMIT + 5;
    let mut rev = 0;
    for n in 1..=total {
        rev = push(&mut store, rev, (n % 3) as usize);
    }
    let j = store.journal("p").unwrap();
    assert_eq!(j.len() as u64, JOURNAL_LIMIT);
    assert_eq!(j.first().unwrap().seq, total - JOURNAL_LIMIT + 1);
    assert_eq!(j.last().unwrap().seq, total);
}
