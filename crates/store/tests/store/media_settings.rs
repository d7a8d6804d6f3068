use crate::{add, temp_store};

#[test]
fn media_is_content_addressed_and_deduplicated() {
    let (_dir, mut store) = temp_store();
    let a = store.put_media(b"png bytes", ".PNG", Some("cat.png")).unwrap();
    let b = store.put_media(b"png bytes", "png", Some("again.png")).unwrap();
    assert_eq!(a.hash, b.hash);
    assert_eq!(a.rel_path, format!("media/{}.png", a.hash));
    let file = store.library_dir().join(&a.rel_path);
    assert_eq!(std::fs::read(file).unwrap(), b"png bytes");
    let info = store.media(&a.hash).unwrap().unwrap();
    assert_eq!((info.size, info.name.as_deref()), (9, Some("cat.png")), "first name kept");
    let odd = store.put_media(b"x", "../../evil", None).unwrap();
    assert_eq!(odd.ext, "evil", "extensions cannot escape the media folder");
    assert!(store.media("nope").unwrap().is_none());
}

#[test]
fn settings_round_trip_and_tolerate_type_changes() {
    let (_dir, mut store) = temp_store();
    assert_eq!(store.setting::<u32>("fps").unwrap(), None);
    store.set_setting("fps", &60u32).unwrap();
    store.set_setting("fps", &30u32).unwrap();
    assert_eq!(store.setting::<u32>("fps").unwrap(), Some(30));
    assert_eq!(store.setting::<String>("fps").unwrap(), None, "wrong type reads as unset");
    store.remove_setting("fps").unwrap();
    assert_eq!(store.setting::<u32>("fps").unwrap(), None);
}

#[test]
fn sync_queue_coalesces_edits_per_project() {
    let (_dir, mut store) = temp_store();
    add(&mut store, "a", "A", &["x"]);
    let pending = store.sync_pending(10).unwrap();
    assert_eq!((pending.len(), pending[0].revision), (1, 0));
    let d = crate::doc("A", &["y"]);
    let m = crate::meta("A", 1);
    for rev in 0..3 {
        let u = chatframe_store::DocUpdate { document: &d, meta: &m };
        store.commit("a", rev, &u, chatframe_store::JournalStep::None).unwrap();
    }
    let pending = store.sync_pending(10).unwrap();
    assert_eq!((pending.len(), pending[0].revision), (1, 3));
    store.sync_failed("a", "offline").unwrap();
    assert_eq!(store.sync_pending(10).unwrap()[0].attempts, 1);
    store.sync_done("a", 2).unwrap();
    assert_eq!(store.sync_pending(10).unwrap().len(), 1, "revision 3 still unsynced");
    store.sync_done("a", 3).unwrap();
    assert!(store.sync_pending(10).unwrap().is_empty());
}
