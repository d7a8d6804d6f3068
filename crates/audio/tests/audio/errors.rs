use std::path::Path;

use chatframe_audio::{AudioError, FileProblem, decode_file, media_duration_ms, mix};
use chatframe_model::{Music, Sound, Timeline};

use crate::support::{make, make_secs, project, timeline};

fn assert_names_file(e: &AudioError, path: &Path, code: &str) {
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(e.path(), Some(path), "{e}");
    let msg = e.to_string();
    assert!(msg.ends_with(&path.display().to_string()), "path last in: {msg}");
}

#[test]
fn bad_files_give_errors_that_name_them() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.mp3");
    assert_names_file(&decode_file(&missing).unwrap_err(), &missing, "AUDIO_NOT_FOUND");

    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    assert_names_file(&decode_file(&empty).unwrap_err(), &empty, "AUDIO_EMPTY");

    let garbage = dir.path().join("garbage.mp3");
    std::fs::write(&garbage, (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<_>>())
        .unwrap();
    let e = decode_file(&garbage).unwrap_err();
    assert!(matches!(e.code(), "AUDIO_UNSUPPORTED" | "AUDIO_CORRUPT"), "{e}");
    assert_eq!(e.path(), Some(garbage.as_path()));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not audio at all").unwrap();
    assert_names_file(&decode_file(&text).unwrap_err(), &text, "AUDIO_UNSUPPORTED");

    assert_names_file(&decode_file(dir.path()).unwrap_err(), dir.path(), "AUDIO_UNREADABLE");

    // A real file cut short after its header: an error or the part that survived, never a panic.
    let flac = make(dir.path(), "cut.flac", 44_100, &["-c:a", "flac"]);
    let bytes = std::fs::read(&flac).unwrap();
    std::fs::write(&flac, &bytes[..60]).unwrap();
    let e = decode_file(&flac).unwrap_err();
    assert!(matches!(e.code(), "AUDIO_CORRUPT" | "AUDIO_NO_TRACK" | "AUDIO_UNSUPPORTED"), "{e}");
    assert_eq!(e.path(), Some(flac.as_path()));

    // Opus is not among symphonia 0.5's codecs: a clear "unsupported", not a crash.
    let opus = make(dir.path(), "voice.opus", 48_000, &["-c:a", "libopus"]);
    assert_names_file(&decode_file(&opus).unwrap_err(), &opus, "AUDIO_UNSUPPORTED");

    assert_eq!(media_duration_ms(&missing).unwrap_err().code(), "AUDIO_NOT_FOUND");
}

#[test]
fn mix_errors_name_the_json_path_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project();
    p.audio.music = Some(Music {
        src: "songs/track.mp3".into(),
        volume: 0.3,
        fade_in_ms: 0,
        fade_out_ms: 0,
        looped: true,
        offset_ms: 0,
    });
    let e = mix(&p, &Timeline::build(&p), dir.path()).unwrap_err();
    assert_eq!((e.code(), e.json_path()), ("AUDIO_NOT_FOUND", Some("audio.music.src")));
    assert_eq!(
        e.to_string(),
        format!("audio.music.src: audio file not found: {}", dir.path().join("songs/track.mp3").display())
    );

    let mut p = project();
    p.messages[3].sound = Some(Sound { src: "boom.wav".into(), volume: None });
    std::fs::write(dir.path().join("boom.wav"), b"RIFF\0\0\0\0WAVEjunk").unwrap();
    let e = mix(&p, &Timeline::build(&p), dir.path()).unwrap_err();
    assert_eq!(e.json_path(), Some("messages[3].sound.src"), "{e}");
    assert!(e.to_string().starts_with("messages[3].sound.src: "), "{e}");
    assert!(
        matches!(e, AudioError::File { problem: FileProblem::Unsupported(_) | FileProblem::Corrupt(_), .. }),
        "{e}"
    );
}

#[test]
fn music_offset_past_the_end_and_absurd_lengths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    make_secs(dir.path(), "short.wav", 48_000, 0.5, &["-c:a", "pcm_s16le"]);
    let mut p = project();
    p.audio.music = Some(Music {
        src: "short.wav".into(),
        volume: 0.3,
        fade_in_ms: 0,
        fade_out_ms: 0,
        looped: false,
        offset_ms: 600,
    });
    let e = mix(&p, &timeline(vec![], 1_000_000), dir.path()).unwrap_err();
    assert_eq!((e.code(), e.json_path()), ("AUDIO_OFFSET_PAST_END", Some("audio.music.offsetMs")), "{e}");
    assert!(e.to_string().contains("600 ms") && e.to_string().contains("500 ms"), "{e}");

    // Three hours is refused before anything is allocated.
    let e = mix(&project(), &timeline(vec![], 3 * 3600 * 1_000_000), dir.path()).unwrap_err();
    assert_eq!(e.code(), "MIX_TOO_LONG");
}
