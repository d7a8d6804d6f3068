//! Each bad input: one clear error line naming the field or file, a distinct non-zero exit, and
//! nothing at the target path.

use std::path::Path;

use crate::common::*;

/// Renders `project` to out.mp4 in `dir` and checks the failure.
fn fails(dir: &Path, project: &str, extra: &[&str], env: &[(&str, &str)], code: i32, needle: &str) {
    let before = entries(dir);
    let mut c = bin();
    c.args(["render", project, "-o", "out.mp4"]).args(extra).current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{needle}: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(needle), "{needle:?} in {err}");
    assert_eq!(entries(dir), before, "nothing written for {needle}");
}

#[test]
fn bad_projects_name_the_field_or_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("broken.chatframe.json"), "{\"schemaVersion\": 1, \"messages\": [").unwrap();
    fails(d, "broken.chatframe.json", &[], &[], 3, "not valid JSON at line 1");
    fails(d, "missing.chatframe.json", &[], &[], 3, "missing.chatframe.json");

    project(d, "sender.json", |v| v["messages"][1]["sender"] = "ghost".into());
    fails(d, "sender.json", &[], &[], 3, "messages[1].sender: unknown participant \"ghost\"");

    project(d, "image.json", |v| {
        v["messages"][1] = serde_json::json!({"kind": "image", "sender": "sam", "media": "nope.png"});
    });
    fails(d, "image.json", &[], &[], 3, "messages[1].media: file not found");

    project(d, "music.json", |v| v["audio"]["music"] = serde_json::json!({"src": "song.mp3"}));
    fails(d, "music.json", &[], &[], 3, "audio.music.src: file not found");

    project(d, "long.json", |v| v["messages"][1]["text"] = "x".repeat(50_000).into());
    fails(d, "long.json", &[], &[], 3, "messages[1].text: is 50000 characters long");

    project(d, "zero.json", |v| v["canvas"]["width"] = 0.into());
    fails(d, "zero.json", &[], &[], 3, "canvas.width: must be between");
    project(d, "huge.json", |v| v["canvas"]["height"] = 100_000.into());
    fails(d, "huge.json", &[], &[], 3, "canvas.height: must be between");

    project(d, "ok.json", |_| {});
    fails(d, "ok.json", &["--preset", "5x4-1080p"], &[], 3, "invalid preset \"5x4-1080p\"");
    fails(d, "ok.json", &["--fps", "1000"], &[], 3, "canvas.fps");
    fails(d, "ok.json", &["--format", "avi"], &[], 3, "unknown format \"avi\"");
}

#[test]
fn a_missing_ffmpeg_is_reported_with_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d, "ok.json", |_| {});
    fails(d, "ok.json", &[], &[("CHATFRAME_FFMPEG", "/nonexistent/ffmpeg")], 4, "ffmpeg was not found");
    fails(d, "ok.json", &[], &[("PATH", "")], 4, "ffmpeg was not found");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["render", "x.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frame", "x.json", "--at", "soon", "-o", "f.png"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid time \"soon\""), "{}", stderr(&o));
}
