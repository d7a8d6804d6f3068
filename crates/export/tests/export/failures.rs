//! Failed and cancelled exports leave nothing at the target, and say why.

use std::path::Path;

use chatframe_export::{ExportError, ExportOptions, Ffmpeg, Format, export};

use crate::common::*;

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

fn attempt(format: Format, ffmpeg: Option<Ffmpeg>, cancel_after: Option<u64>) -> (ExportError, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = if format == Format::PngSequence { dir.path().join("frames") } else { dir.path().join("out.mp4") };
    let (mut r, audio) = renderer_and_audio(project(), dir.path());
    let mut opts = ExportOptions::new(format);
    opts.audio = audio;
    opts.ffmpeg = ffmpeg;
    let cancel = opts.cancel.clone();
    let err = export(&mut r, &out, opts, &mut |p| {
        if cancel_after.is_some_and(|n| p.frames_done >= n) {
            cancel.cancel();
        }
    })
    .unwrap_err();
    assert!(!out.exists(), "{format}: nothing at the target after {err}");
    assert_eq!(entries(dir.path()), Vec::<String>::new(), "{format}: no temp left after {err}");
    (err, dir)
}

#[test]
fn cancelling_leaves_nothing() {
    for format in [Format::Mp4, Format::Gif, Format::PngSequence] {
        let (err, _dir) = attempt(format, None, Some(10));
        assert_eq!(err.code(), "CANCELLED", "{format}: {err}");
    }
}

#[test]
fn a_missing_ffmpeg_is_named() {
    let err = Ffmpeg::at(Path::new("/nonexistent/ffmpeg")).unwrap_err();
    assert_eq!(err.code(), "FFMPEG_MISSING");
    assert!(err.to_string().contains("CHATFRAME_FFMPEG"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_ffmpeg_failure_carries_its_stderr_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    // A stand-in that prints a version, then fails the way a broken ffmpeg would.
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("ffmpeg");
    std::fs::write(
        &fake,
        "#!/bin/sh\nif [ \"$2\" = -version ]; then echo 'ffmpeg version 6.0'; exit 0; fi\n\
         echo 'Unknown encoder libx264' >&2; exit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ffmpeg = Ffmpeg::at(&fake).unwrap();
    assert_eq!(ffmpeg.version, "6.0");
    let (err, _dir) = attempt(Format::Mp4, Some(ffmpeg), None);
    assert_eq!(err.code(), "FFMPEG_FAILED");
    assert!(err.to_string().contains("Unknown encoder libx264"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_old_ffmpeg_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("ffmpeg");
    std::fs::write(&fake, "#!/bin/sh\necho 'ffmpeg version 3.4.8 Copyright'\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(Ffmpeg::at(&fake).unwrap_err().code(), "FFMPEG_UNSUPPORTED");
}

#[test]
fn an_odd_size_is_refused_before_ffmpeg_starts() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project();
    p.canvas.width = 181;
    let (mut r, _) = renderer_and_audio(p, dir.path());
    let out = dir.path().join("o.mp4");
    let err = export(&mut r, &out, ExportOptions::new(Format::Mp4), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "INVALID_OUTPUT", "{err}");
    assert!(entries(dir.path()).is_empty());
}
