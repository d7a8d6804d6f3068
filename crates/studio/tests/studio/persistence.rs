use chatframe_studio::{EditOp, Studio};

use crate::{ops::every_op, temp_dir};

#[test]
fn edits_and_the_undo_history_survive_reopening_the_library() {
    let dir = temp_dir();
    let lib = dir.path().join("library.sqlite3");
    let (id, states) = {
        let mut studio = Studio::open(&lib).unwrap();
        let id = studio
            .create(&chatframe_studio::CreateProject { name: None, template: chatframe_studio::Template::Starter })
            .unwrap()
            .id;
        let mut s = studio.open_project(&id).unwrap();
        let mut states = vec![s.project().clone()];
        for op in every_op(&s) {
            s.apply(op).unwrap();
            states.push(s.project().clone());
        }
        // Leave two edits undone: they must come back as the redo stack.
        s.undo().unwrap();
        s.undo().unwrap();
        (id, states)
    };
    let n = states.len() - 1;
    let studio = Studio::open(&lib).unwrap();
    let mut s = studio.open_project(&id).unwrap();
    assert_eq!(s.project(), &states[n - 2]);
    assert!(s.can_redo());
    s.redo().unwrap();
    s.redo().unwrap();
    assert_eq!(s.project(), &states[n]);
    for i in (0..n).rev() {
        s.undo().unwrap().unwrap();
        assert_eq!(s.project(), &states[i], "undo after restart, step {i}");
    }
    assert!(!s.can_undo());
    assert_eq!(studio.summary(&id).unwrap().meta.message_count as usize, states[0].messages.len());
}

#[test]
fn a_second_writer_gets_a_conflict_not_a_silent_overwrite() {
    let (_dir, mut studio, mut s) = crate::starter_session();
    let mut other = studio.open_project(s.id()).unwrap();
    s.apply(EditOp::SetName { name: "first".into() }).unwrap();
    let err = other.apply(EditOp::SetName { name: "second".into() }).unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    assert_eq!(other.project().name, "Test", "the refused edit was rolled back in memory");
    let state = other.reload().unwrap();
    assert_eq!(state.project.name, "first");
    other.apply(EditOp::SetName { name: "second".into() }).unwrap();
    assert_eq!(studio.summary(s.id()).unwrap().meta.name, "second");
    // Renaming from the library is a change like any other.
    studio.rename(s.id(), "from library").unwrap();
    assert_eq!(studio.document(s.id()).unwrap().name, "from library");
}

#[test]
fn the_library_row_mirrors_the_document() {
    let (_dir, studio, mut s) = crate::starter_session();
    s.apply(EditOp::SetPlatform { platform: chatframe_studio::model::Platform::Whatsapp }).unwrap();
    s.apply(EditOp::SetAppearance { appearance: chatframe_studio::model::Appearance::Dark }).unwrap();
    let id = s.project().messages[1].id.clone();
    let r = s.apply(EditOp::DeleteMessage { id }).unwrap();
    let row = studio.summary(s.id()).unwrap();
    assert_eq!((row.meta.platform.as_str(), row.meta.appearance.as_str()), ("whatsapp", "dark"));
    assert_eq!(row.meta.message_count, 5);
    assert_eq!(row.meta.duration_us, r.duration_us);
    assert_eq!(row.revision, r.revision);
    assert_eq!(&studio.document(s.id()).unwrap(), s.project());
}
