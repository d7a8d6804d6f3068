//! Voice-over in the document: old files still load, settings are checked, and spoken lines set
//! the timeline to the microsecond.

use chatframe_model::{MS, MediaDurations, Micros, Project, Timeline, VoiceSettings, parse_project};

/// Clip lengths by message index, as the voice crate would measure them.
struct Clips(Vec<Option<Micros>>);

impl MediaDurations for Clips {
    fn duration_ms(&self, _: &str) -> Option<u32> {
        None
    }
    fn voice_clip_us(&self, index: usize) -> Option<Micros> {
        self.0.get(index).copied().flatten()
    }
}

fn project(extra: &str) -> Project {
    let json = format!(
        r#"{{"schemaVersion": 1,
            "participants": [{{"id": "a", "name": "Ann", "side": "them", "voice": "flite:slt"}},
                             {{"id": "b", "name": "Bo", "side": "me",
                               "voice": {{"id": "espeak-ng:de", "rate": 1.25, "volume": 0.5}}}}],
            "messages": [{{"sender": "a", "text": "one"}}, {{"sender": "b", "text": "two"}},
                         {{"sender": "a", "text": "three", "timing": {{"delayMs": 40}}}}]
            {extra}}}"#
    );
    parse_project(json.as_bytes()).unwrap()
}

#[test]
fn a_v1_voice_id_still_loads_and_settings_objects_load_beside_it() {
    let p = project("");
    assert_eq!(p.participants[0].voice, Some(VoiceSettings::new("flite:slt")));
    let b = p.participants[1].voice.as_ref().unwrap();
    assert_eq!((b.id.as_str(), b.rate, b.pitch, b.volume), ("espeak-ng:de", 1.25, 1.0, 0.5));
    // Voice-over is off unless asked for, and an untouched voiceOver is not written back.
    assert!(!p.audio.voice_over.enabled && !p.is_voiced(0));
    let written = serde_json::to_value(&p).unwrap();
    assert!(written["audio"].get("voiceOver").is_none(), "{}", written["audio"]);
    assert_eq!(parse_project(serde_json::to_string(&p).unwrap().as_bytes()).unwrap(), p);
}

#[test]
fn voice_over_switches_per_project_and_per_message() {
    let mut p = project(r#", "audio": {"voiceOver": {"enabled": true, "gapMs": 250}}"#);
    assert!(p.is_voiced(0) && p.is_voiced(1));
    p.messages[1].voice_over = Some(false);
    p.audio.voice_over.enabled = false;
    p.messages[2].voice_over = Some(true);
    assert_eq!((p.is_voiced(0), p.is_voiced(1), p.is_voiced(2)), (false, false, true));
    // A participant without a voice gets a default one, different for the next participant.
    p.participants[0].voice = None;
    assert_eq!(p.voice_of(0).unwrap().id, chatframe_model::DEFAULT_VOICES[0]);
}

#[test]
fn bad_voice_settings_name_their_field() {
    let mut p = project(r#", "audio": {"voiceOver": {"enabled": true}}"#);
    (p.audio.voice_over.gap_ms, p.audio.voice_over.ducking) = (9_000_000, 2.0);
    p.participants[1].voice.as_mut().unwrap().rate = 3.0;
    p.participants[0].voice = Some(VoiceSettings::new("slt"));
    p.messages[0].spoken_text = Some("x".repeat(6000));
    let err = format!("{:?}", p.validate().unwrap_err());
    for path in [
        "participants[0].voice.id",
        "participants[1].voice.rate",
        "audio.voiceOver.gapMs",
        "audio.voiceOver.ducking",
        "messages[0].spokenText",
    ] {
        assert!(err.contains(path), "{path} missing in: {err}");
    }
    let err = parse_project(
        br#"{"schemaVersion": 1, "participants": [{"id": "a", "name": "A", "side": "me",
        "voice": {"id": "flite:slt", "speed": 2}}], "messages": []}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("participants[0].voice") && err.contains("speed"), "{err}");
}

#[test]
fn spoken_lines_set_the_timeline_to_the_microsecond() {
    let p = project(r#", "audio": {"voiceOver": {"enabled": true, "gapMs": 250}}"#);
    let plain = Timeline::build(&p);
    let clips = Clips(vec![Some(1_234_567), None, Some(2_000_001)]);
    let t = Timeline::build_with(&p, &clips);
    assert_eq!(t.voice.len(), 2);
    let (l0, l2) = (&t.voice[0], &t.voice[1]);
    let (e0, e1, e2) = (&t.entries[0], &t.entries[1], &t.entries[2]);
    // A line starts as its bubble appears and lasts exactly its clip.
    assert_eq!((l0.index, l0.at, l0.length), (0, e0.appear, 1_234_567));
    assert_eq!((l2.index, l2.at, l2.length), (2, e2.appear, 2_000_001));
    // The next message waits for the line's end plus the gap, with no other pause.
    assert_eq!(e0.hold_end, e0.appear + 1_234_567 + 250 * MS);
    let start = |e: &chatframe_model::Entry| e.typing.map_or(e.appear, |(at, _)| at);
    assert_eq!(start(e1), e0.hold_end);
    // An unspoken message keeps its auto pacing; a message's own delay still applies after it.
    assert_eq!(e1.hold_end - e1.appear, plain.entries[1].hold_end - plain.entries[1].appear);
    assert_eq!(start(e2), e1.hold_end + 40 * MS);
    assert_eq!(l2.end(), e2.appear + 2_000_001);
    assert!(t.duration >= e2.hold_end);
    // The speaker's volume scales the line; message 0 is Ann's (volume 1).
    assert_eq!(l0.gain, p.audio.voice_volume);
    // Without clips nothing changes.
    assert_eq!(Timeline::build_with(&p, &Clips(vec![])), plain);
}

#[test]
fn an_explicit_hold_wins_over_the_clip() {
    let mut p = project(r#", "audio": {"voiceOver": {"enabled": true}}"#);
    p.messages[0].timing.hold_ms = Some(100);
    let t = Timeline::build_with(&p, &Clips(vec![Some(3_000_000)]));
    assert_eq!(t.entries[0].hold_end, t.entries[0].appear + 100 * MS);
    assert_eq!(t.voice[0].length, 3_000_000);
}
