//! Ctrl-C during a render stops it cleanly: exit 130, no file at the target, no temp left.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::*;

#[cfg(unix)]
#[test]
fn sigint_cancels_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Long enough that the render is still running when the signal arrives.
    let p = project(dir.path(), "long.json", |v| {
        v["timing"]["endHoldMs"] = 60_000.into();
    });
    let mut child = bin()
        .args(["render", p.to_str().unwrap(), "-o", "out.mp4", "--json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a progress line").unwrap();
    assert!(first.contains("\"progress\""), "{first}");
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(rest.last().is_some_and(|l| l.contains("\"CANCELLED\"")), "{rest:?}");
    assert_eq!(entries(dir.path()), ["long.json"], "no output and no temp file");
}
