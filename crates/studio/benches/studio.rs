//! Studio core benchmarks (figures in docs/BENCHMARKS.md, "Studio core"):
//! - opening a 5,000-message project (library row -> parsed, validated document + undo history);
//! - one edit applied and durably persisted (document + journal row, one immediate transaction),
//!   at 20 and 5,000 messages, with synchronous=FULL (the default) and NORMAL for comparison;
//! - edit -> next preview frame at 540x960.
//!
//! The library lives on the real disk (the system temp dir), not tmpfs, so fsync costs count.

use std::hint::black_box;
use std::time::Duration;

use chatframe_studio::model::{Message, Project, starter_project};
use chatframe_studio::{EditOp, StoreOptions, Studio, Synchronous};
use criterion::{Criterion, criterion_group, criterion_main};

fn project(messages: usize) -> Project {
    let mut p = starter_project("bench");
    p.messages = (0..messages)
        .map(|i| Message {
            id: format!("m{i}"),
            sender: Some(if i % 2 == 0 { "me" } else { "sam" }.into()),
            text: format!("Message number {i}, long enough to wrap onto a second line in the bubble 🎉"),
            ..Message::default()
        })
        .collect();
    p
}

/// A library holding `p`, imported the way a user would (through a project file).
fn library(p: &Project, sync: Synchronous) -> (tempfile::TempDir, Studio, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.chatframe.json");
    std::fs::write(&file, p.to_json_pretty()).unwrap();
    let mut studio =
        Studio::open_with(&dir.path().join("library.sqlite3"), StoreOptions { synchronous: sync }).unwrap();
    let id = studio.import(&file).unwrap().id;
    (dir, studio, id)
}

fn open(c: &mut Criterion) {
    let (_dir, studio, id) = library(&project(5_000), Synchronous::Full);
    // A realistic history to rebuild too: 200 journal rows.
    {
        let mut s = studio.open_project(&id).unwrap();
        for i in 0..200 {
            s.apply(EditOp::SetMessageText { id: format!("m{}", i * 7), text: format!("edited {i}") }).unwrap();
        }
    }
    c.bench_function("open_project/5000_messages", |b| b.iter(|| black_box(studio.open_project(&id).unwrap())));
}

fn edit(c: &mut Criterion) {
    for (messages, sync, label) in [
        (20, Synchronous::Full, "20_messages/full"),
        (5_000, Synchronous::Full, "5000_messages/full"),
        (20, Synchronous::Normal, "20_messages/normal"),
        (5_000, Synchronous::Normal, "5000_messages/normal"),
    ] {
        let (_dir, studio, id) = library(&project(messages), sync);
        let mut s = studio.open_project(&id).unwrap();
        let mut n = 0u64;
        c.bench_function(&format!("edit_persist/{label}"), |b| {
            b.iter(|| {
                n += 1;
                black_box(s.apply(EditOp::SetMessageText { id: "m3".into(), text: format!("typing {n}") }).unwrap())
            })
        });
    }
}

fn edit_to_preview(c: &mut Criterion) {
    let (_dir, studio, id) = library(&project(20), Synchronous::Full);
    let mut s = studio.open_project(&id).unwrap();
    let t = s.seek_to_message("m10").unwrap();
    s.preview_frame(t, 540).unwrap();
    let mut n = 0u64;
    c.bench_function("edit_to_preview/20_messages_540w", |b| {
        b.iter(|| {
            n += 1;
            s.apply(EditOp::SetMessageText { id: "m10".into(), text: format!("typing {n}") }).unwrap();
            black_box(s.preview_frame(t, 540).unwrap())
        })
    });
    c.bench_function("preview_frame/scrub_540w", |b| {
        b.iter(|| {
            n += 1;
            black_box(s.preview_frame((n as i64 * 33_333) % 20_000_000, 540).unwrap())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = open, edit, edit_to_preview
}
criterion_main!(benches);
