//! Timeline snapshots: the exact schedule of each sample is pinned in `snapshots/`. After an
//! intended pacing change, re-run with CHATFRAME_ACCEPT_SNAPSHOTS=1 and review the diff.

use chatframe_model::{MS, SECOND, Timeline, load_project};

fn check_snapshot(dir: &std::path::Path, name: &str) {
    let path = dir.join(format!("{name}.chatframe.json"));
    let loaded = load_project(&path).unwrap();
    let tl = Timeline::build(&loaded.project);
    let actual = tl.describe(&loaded.project);
    let snap = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/model/snapshots/{name}.txt"));
    if std::env::var_os("CHATFRAME_ACCEPT_SNAPSHOTS").is_some() {
        std::fs::write(&snap, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&snap)
        .unwrap_or_else(|_| panic!("missing {}; run with CHATFRAME_ACCEPT_SNAPSHOTS=1", snap.display()));
    assert!(expected == actual, "timeline of {name} changed:\n--- expected\n{expected}\n--- actual\n{actual}");
}

#[test]
fn sample_timelines_match_their_snapshots() {
    for name in ["imessage-story", "whatsapp-group", "rtl-cjk"] {
        check_snapshot(&super::samples_dir(), name);
    }
    check_snapshot(&super::bench_dir(), "bench-party");
}

#[test]
fn bench_party_is_ten_seconds_with_a_message_every_600_ms() {
    let loaded = load_project(&super::bench_dir().join("bench-party.chatframe.json")).unwrap();
    let tl = Timeline::build(&loaded.project);
    assert_eq!(tl.duration, 10 * SECOND);
    assert_eq!(tl.frame_count(), 300);
    let appears: Vec<i64> = tl.entries.iter().map(|e| e.appear).collect();
    for pair in appears.windows(2) {
        assert_eq!(pair[1] - pair[0], 600 * MS);
    }
    // Every incoming message is preceded by the typing indicator.
    for (e, m) in tl.entries.iter().zip(&loaded.project.messages) {
        assert_eq!(e.typing.is_some(), m.sender.as_deref() == Some("jess"));
    }
}

#[test]
fn overrides_win_over_auto_pacing_and_times_are_monotonic() {
    let mut p = chatframe_model::starter_project("t");
    p.messages[1].timing.typing_ms = Some(1234);
    p.messages[1].timing.hold_ms = Some(4321);
    p.messages[1].timing.delay_ms = Some(111);
    let tl = Timeline::build(&p);
    let e = &tl.entries[1];
    let (start, _) = e.typing.unwrap();
    assert_eq!(start, tl.entries[0].hold_end + 111 * MS);
    assert_eq!(e.appear - start, 1234 * MS);
    assert_eq!(e.hold_end - e.appear, 4321 * MS);
    for pair in tl.entries.windows(2) {
        assert!(pair[1].appear >= pair[0].hold_end);
    }
    // Frame times are exact: frame n at n/fps seconds with no drift.
    assert_eq!(tl.frame_time(30), SECOND);
    assert_eq!(chatframe_model::frame_time(1, 60), 16_666);
    assert_eq!(chatframe_model::frames_for(SECOND + 1, 30), 31);
}

#[test]
fn longer_messages_type_and_hold_longer() {
    let p = chatframe_model::starter_project("t");
    let short = chatframe_model::auto_typing_ms(&p, "ok");
    let long = chatframe_model::auto_typing_ms(&p, &"word ".repeat(8));
    assert!(long > short);
    assert!(chatframe_model::auto_hold_ms(&p, &"word ".repeat(30)) > chatframe_model::auto_hold_ms(&p, "hi"));
}
