use chatframe_voice::{Engines, Espeak, Flite, Prosody, VoiceEngine};

#[test]
fn espeak_offers_every_language_and_flite_its_english_voices() {
    let e = Espeak::locate().unwrap();
    let voices = e.voices().unwrap();
    assert!(voices.len() > 50, "espeak-ng lists {} languages", voices.len());
    for lang in ["en-us", "de", "ja", "pt-br"] {
        let v = voices.iter().find(|v| v.language == lang).unwrap_or_else(|| panic!("no {lang}"));
        assert_eq!((v.id.clone(), v.engine.as_str()), (format!("espeak-ng:{lang}"), "espeak-ng"));
    }
    let f = Flite::locate().unwrap().voices().unwrap();
    let ids: Vec<&str> = f.iter().map(|v| v.id.as_str()).collect();
    assert!(ids.contains(&"flite:slt") && ids.contains(&"flite:kal"), "{ids:?}");
    assert!(!ids.contains(&"flite:awb_time"), "a time-only voice is not offered: {ids:?}");
    assert!(f.iter().all(|v| v.language == "en"));
    assert!(Engines::detect().voices().unwrap().len() == voices.len() + f.len());
}

#[test]
fn both_engines_speak_a_line_that_starts_on_its_first_sound() {
    let engines = Engines::detect();
    for id in ["espeak-ng:en-us", "espeak-ng:fr-fr+f3", "flite:slt", "flite:kal"] {
        let (engine, voice) = engines.resolve(id).unwrap();
        let clip = engine.synthesize(voice, "Are you still up?", Prosody::default()).unwrap();
        let secs = clip.frames() as f64 / 48_000.0;
        assert!((0.4..4.0).contains(&secs), "{id}: {secs:.2} s");
        // Trimmed: sound within the first 3 ms, and loud somewhere.
        assert!(clip.samples[..144].iter().any(|v| v.abs() > 0.003), "{id} starts with silence");
        assert!(clip.samples.iter().any(|v| v.abs() > 0.1), "{id} is too quiet");
    }
}

#[test]
fn rate_and_pitch_change_the_speech() {
    let e = Espeak::locate().unwrap();
    let text = "The quick brown fox jumps over the lazy dog.";
    let normal = e.synthesize("en-us", text, Prosody::default()).unwrap().frames();
    let fast = e.synthesize("en-us", text, Prosody { rate: 2.0, pitch: 1.0 }).unwrap().frames();
    assert!((fast as f64) < normal as f64 * 0.7, "rate 2: {fast} vs {normal} frames");
    let f = Flite::locate().unwrap();
    let normal = f.synthesize("slt", text, Prosody::default()).unwrap();
    let slow = f.synthesize("slt", text, Prosody { rate: 0.5, pitch: 1.0 }).unwrap();
    assert!(slow.frames() as f64 > normal.frames() as f64 * 1.5, "{} vs {}", slow.frames(), normal.frames());
    let high = f.synthesize("slt", text, Prosody { rate: 1.0, pitch: 1.5 }).unwrap();
    assert_ne!(high.samples, normal.samples);
}

#[test]
fn a_missing_engine_says_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let engines = Engines::detect_on(empty.path().as_os_str());
    let err = engines.resolve("espeak-ng:en-us").err().unwrap();
    assert_eq!(err.code(), "VOICE_ENGINE_MISSING");
    assert!(err.to_string().contains("sudo apt install espeak-ng"), "{err}");
    let err = engines.resolve("flite:slt").err().unwrap();
    assert!(err.to_string().contains("sudo apt install flite"), "{err}");
    assert_eq!(engines.missing().count(), 2);
    let err = engines.resolve("nuance:x").err().unwrap();
    assert_eq!(err.code(), "VOICE_UNKNOWN_ENGINE");
    assert!(err.to_string().contains("espeak-ng, flite"), "{err}");
    let err = Espeak::at(empty.path().join("espeak-ng")).err().unwrap();
    assert_eq!(err.code(), "VOICE_ENGINE_MISSING");
}

#[test]
fn unknown_voices_are_refused_with_the_command_that_lists_them() {
    let err = Flite::locate().unwrap().synthesize("nobody", "hi", Prosody::default()).unwrap_err();
    assert_eq!(err.code(), "VOICE_UNKNOWN");
    assert!(err.to_string().contains("flite -lv") && err.to_string().contains("nobody"), "{err}");
    let err = Espeak::locate().unwrap().synthesize("xx-nope", "hi", Prosody::default()).unwrap_err();
    assert!(err.to_string().contains("espeak-ng --voices"), "{err}");
    let err = Espeak::locate().unwrap().synthesize("en-us+nosuchvariant", "hi", Prosody::default()).unwrap_err();
    assert_eq!(err.code(), "VOICE_UNKNOWN");
}

#[test]
fn text_that_looks_like_an_option_is_spoken() {
    let e = Espeak::locate().unwrap();
    assert!(e.synthesize("en-us", "--help me -v", Prosody::default()).unwrap().frames() > 4_800);
    let f = Flite::locate().unwrap();
    assert!(f.synthesize("slt", "-o nothing", Prosody::default()).unwrap().frames() > 4_800);
}
