use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chatframe_audio::VoiceClips;
use chatframe_voice::{CancelToken, ClipCache, Engines, GenerateOptions, LineProgress, generate};

use crate::support::{files_in, voice, voiced_project};

const LINES: [&str; 4] = ["Are you still up?", "Yes, why?", "I saw something weird 👀", "What was it?!?!"];

#[test]
fn a_warm_cache_synthesises_nothing_and_a_retake_only_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = voiced_project(&LINES);
    let (cold, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (4, 0));
    assert!(cold.lines().iter().all(|l| !l.cached));

    let (warm, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (0, 4), "the hit path must not synthesise");
    for i in 0..4 {
        assert_eq!(warm.clip(i), cold.clip(i), "message {i} reads back exactly");
    }

    // A retake: new words for one line, a new voice for another's speaker is a separate test.
    p.messages[2].spoken_text = Some("I saw something strange".into());
    let (retake, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (1, 3));
    assert_ne!(retake.clip(2), cold.clip(2));
    // Volume is a mix gain, not a synthesis setting: changing it costs nothing.
    p.participants[0].voice.as_mut().unwrap().volume = 0.5;
    let (_, cache) = voice(&p, dir.path());
    assert_eq!(cache.syntheses(), 0);
    // A new rate for Bo re-synthesises Bo's two lines only.
    p.participants[1].voice.as_mut().unwrap().rate = 0.8;
    let (_, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (2, 2));
    assert!(files_in(dir.path()).iter().all(|f| f.extension().is_some_and(|e| e == "wav")), "no temp files left");
    assert_eq!(files_in(dir.path()).len(), 7);
}

#[test]
fn a_damaged_clip_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = voiced_project(&LINES[..2]);
    let (first, _) = voice(&p, dir.path());
    let files = files_in(dir.path());
    std::fs::write(&files[0], b"RIFF....not a wav").unwrap();
    let (again, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (1, 1));
    assert_eq!(again.clip(0), first.clip(0));
    assert_eq!(again.clip(1), first.clip(1));
}

#[test]
fn a_cold_cache_reports_each_line_and_uses_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    let p = voiced_project(&LINES);
    let seen = Mutex::new(Vec::<LineProgress>::new());
    let progress = |l: &LineProgress| seen.lock().unwrap().push(l.clone());
    let opts = GenerateOptions { threads: 2, progress: Some(&progress), ..GenerateOptions::default() };
    let track = generate(&p, &Engines::detect(), &ClipCache::new(dir.path()), &opts).unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 4);
    let mut done: Vec<usize> = seen.iter().map(|l| l.done).collect();
    done.sort();
    assert_eq!(done, [1, 2, 3, 4]);
    assert!(seen.iter().all(|l| l.total == 4 && !l.cached && l.elapsed.as_micros() > 0));
    assert_eq!(track.lines().iter().map(|l| l.index).collect::<Vec<_>>(), [0, 1, 2, 3]);
}

#[test]
fn cancelling_keeps_the_lines_already_spoken() {
    let dir = tempfile::tempdir().unwrap();
    let p = voiced_project(&LINES);
    let cancel = CancelToken::new();
    let spoken = AtomicUsize::new(0);
    let progress = |_: &LineProgress| {
        spoken.fetch_add(1, Ordering::SeqCst);
        cancel.cancel();
    };
    let opts = GenerateOptions { cancel: cancel.clone(), threads: 1, progress: Some(&progress) };
    let err = generate(&p, &Engines::detect(), &ClipCache::new(dir.path()), &opts).unwrap_err();
    assert_eq!(err.code(), "CANCELLED");
    assert_eq!(spoken.load(Ordering::SeqCst), 1);
    let (_, cache) = voice(&p, dir.path());
    assert_eq!((cache.syntheses(), cache.hits()), (3, 1), "the finished line was kept");
}

#[test]
fn a_line_that_cannot_be_spoken_names_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = voiced_project(&LINES);
    p.participants[1].voice.as_mut().unwrap().id = "flite:nobody".into();
    let err = generate(&p, &Engines::detect(), &ClipCache::new(dir.path()), &GenerateOptions::default()).unwrap_err();
    assert_eq!((err.code(), err.json_path()), ("VOICE_UNKNOWN", Some("messages[1]")));
    assert!(
        err.to_string().starts_with("messages[1]: cannot speak this line (\"Yes, why?\"): flite has no voice"),
        "{err}"
    );
    // The other lines were still spoken and kept.
    assert_eq!(files_in(dir.path()).len(), 2);

    // Emoji-only messages are skipped, unless voice-over was asked for on that message.
    let mut p = voiced_project(&["hi", "😂😂"]);
    let (track, _) = voice(&p, dir.path());
    assert_eq!(track.lines().len(), 1);
    p.messages[1].voice_over = Some(true);
    let err = generate(&p, &Engines::detect(), &ClipCache::new(dir.path()), &GenerateOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "messages[1].text: voice-over is on for this message but it has nothing to say");

    p.messages[1].voice_over = None;
    let empty = tempfile::tempdir().unwrap();
    let engines = Engines::detect_on(empty.path().as_os_str());
    let err = generate(&p, &engines, &ClipCache::new(dir.path()), &GenerateOptions::default()).unwrap_err();
    assert!(err.to_string().contains("messages[0]") && err.to_string().contains("sudo apt install espeak-ng"), "{err}");
}
