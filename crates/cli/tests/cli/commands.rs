//! The commands doing their job.

use serde_json::Value;

use crate::common::*;

#[test]
fn render_json_lines_then_a_frame_that_matches_the_video() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), "s.chatframe.json", |_| {});
    let o = run(&["render", p.to_str().unwrap(), "-o", "s.mp4", "--json", "--srt"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> =
        String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() >= 2);
    assert!(lines[..lines.len() - 1].iter().all(|l| l["event"] == "progress" && l["total"].as_u64().is_some()));
    let done = lines.last().unwrap();
    assert_eq!(done["event"], "done");
    assert_eq!(
        (done["width"].as_u64(), done["height"].as_u64(), done["fps"].as_u64()),
        (Some(180), Some(320), Some(30))
    );
    let frames = done["frames"].as_u64().unwrap();
    assert_eq!(lines[lines.len() - 2]["frame"].as_u64(), Some(frames), "the last progress line is the last frame");
    assert_eq!(entries(dir.path()), ["s.chatframe.json", "s.mp4", "s.srt"]);

    // `chatframe frame` at the same moment as decoded frame n: the same picture.
    let n = frames / 2;
    let o = run(&["frame", p.to_str().unwrap(), "--at", &format!("#{n}"), "-o", "f.png"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let db = psnr(&decode_rgb(&dir.path().join("s.mp4"), Some(n)), &decode_rgb(&dir.path().join("f.png"), None));
    assert!(db >= 35.0, "PSNR {db:.1} dB");
}

#[test]
fn frame_times_in_every_notation_agree() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), "s.chatframe.json", |_| {});
    let mut pngs = vec![];
    for (i, at) in ["1.5s", "1500ms", "0:01.5", "#45", "1.5"].iter().enumerate() {
        let out = format!("f{i}.png");
        let o = run(&["frame", p.to_str().unwrap(), "--at", at, "-o", &out], dir.path());
        assert!(o.status.success(), "{at}: {}", stderr(&o));
        pngs.push(std::fs::read(dir.path().join(out)).unwrap());
    }
    assert!(pngs.windows(2).all(|w| w[0] == w[1]), "1.5 s is frame #45 at 30 fps");
    let o = run(&["frame", p.to_str().unwrap(), "--at", "99s", "-o", "late.png"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("past the end"), "{}", stderr(&o));
    assert!(!dir.path().join("late.png").exists());
}

#[test]
fn validate_timeline_prints_the_text_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), "e.chatframe.json", |v| {
        v["messages"][0]["text"] = "Nice ❤\u{fe0f} 👩\u{200d}💻 \"ok\"\nbye".into();
    });
    let o = run(&["validate", "--timeline", p.to_str().unwrap()], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    // Emoji with their variation selector and joiner as typed; quotes and the newline escaped,
    // so the entry stays on one line.
    assert!(out.contains("\"Nice ❤\u{fe0f} 👩\u{200d}💻 \\\"ok\\\"\\nbye\""), "{out}");
    assert!(!out.contains("\\u{"), "Rust escapes in {out}");
}

#[test]
fn validate_new_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let good = project(dir.path(), "good.chatframe.json", |_| {});
    let bad = project(dir.path(), "bad.chatframe.json", |v| {
        v["messages"][1]["sender"] = "nobody".into();
        v["canvas"]["fps"] = 0.into();
    });
    let o = run(&["validate", "--timeline", good.to_str().unwrap()], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(": ok (3 messages, 180x320 @ 30 fps") && out.contains("duration "), "{out}");

    let o = run(&["validate", good.to_str().unwrap(), bad.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("bad.chatframe.json: messages[1].sender: unknown participant \"nobody\""), "{out}");
    assert!(out.contains("bad.chatframe.json: canvas.fps:"), "every problem is listed: {out}");

    let o = run(&["new", "wa.chatframe.json", "--platform", "whatsapp", "--dark"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(dir.path().join("wa.chatframe.json")).unwrap()).unwrap();
    assert_eq!((v["theme"]["platform"].as_str(), v["theme"]["appearance"].as_str()), (Some("whatsapp"), Some("dark")));
    let o = run(&["new", "wa.chatframe.json"], dir.path());
    assert_eq!(o.status.code(), Some(3), "an existing file is not replaced without --force");

    let o = run(&["schema"], dir.path());
    assert!(o.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/project.schema.json")).unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), committed, "docs/project.schema.json is stale");
}

#[test]
fn presets_and_fps_override_the_canvas() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), "s.chatframe.json", |v| {
        v["messages"].as_array_mut().unwrap().truncate(1);
    });
    let o = run(
        &["render", p.to_str().unwrap(), "-o", "o.srt", "--preset", "16x9-720p", "--fps", "60", "--json"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let last: Value = serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(
        (last["width"].as_u64(), last["height"].as_u64(), last["fps"].as_u64()),
        (Some(1280), Some(720), Some(60))
    );
}
