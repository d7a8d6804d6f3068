use std::path::Path;

use chatframe_audio::{DUCK_ATTACK_MS, DUCK_RELEASE_MS, mix};
use chatframe_model::{CueSound, Message, MessageKind, Music, Project};

use crate::support::{cue, frequency, make, make_secs, project, timeline, write_f32_wav};

/// Left channel of the ramp fixture at frame `k`: distinct at every frame, so any misplacement
/// shows. The right channel is its negative.
fn ramp(k: usize) -> f32 {
    0.1 + 0.4 * k as f32 / 24_000.0
}

/// Half a second of the ramp, as an exact 48 kHz float WAV.
fn write_ramp(dir: &Path) {
    let s: Vec<f32> = (0..24_000).flat_map(|k| [ramp(k), -ramp(k)]).collect();
    write_f32_wav(&dir.join("ramp.wav"), 48_000, 2, &s);
}

fn with_music(src: &str, f: impl FnOnce(&mut Music)) -> Project {
    let mut m = Music { src: src.into(), volume: 0.5, fade_in_ms: 0, fade_out_ms: 0, looped: false, offset_ms: 0 };
    f(&mut m);
    let mut p = project();
    p.audio.music = Some(m);
    p
}

fn left(m: &chatframe_audio::Mix, p: usize) -> f32 {
    m.samples[p * 2]
}

#[test]
fn music_plays_once_at_its_volume() {
    let dir = tempfile::tempdir().unwrap();
    write_ramp(dir.path());
    let m = mix(&with_music("ramp.wav", |_| {}), &timeline(vec![], 2_000_000), dir.path()).unwrap();
    for p in [0, 1, 1000, 12_345, 23_000] {
        assert_eq!(left(&m, p), 0.5 * ramp(p), "frame {p}");
        assert_eq!(m.samples[p * 2 + 1], -0.5 * ramp(p));
    }
    // Where the track ends before the video, it is faded over 5 ms instead of cut (no click).
    assert_eq!(left(&m, 23_999), 0.0);
    assert!(left(&m, 23_880) < 0.5 * ramp(23_880) && left(&m, 23_880) > 0.0);
    assert_eq!(m.peak_in(24_000..96_000), 0.0, "a track that does not loop ends");
}

#[test]
fn music_loops_from_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    write_ramp(dir.path());
    // Offset 100 ms = 4800 frames: the playing segment is frames 4800..24000 of the file (19200 long).
    let p = with_music("ramp.wav", |m| {
        m.looped = true;
        m.offset_ms = 100;
    });
    let m = mix(&p, &timeline(vec![], 2_000_000), dir.path()).unwrap();
    for p in [300, 1000, 10_000, 18_000] {
        assert_eq!(left(&m, p), 0.5 * ramp(4_800 + p), "frame {p}");
        for rep in 1..5 {
            assert_eq!(left(&m, p + rep * 19_200), left(&m, p), "frame {p}, repetition {rep}");
        }
    }
    // Seams are declicked: the track starts mid-waveform (offset) and wraps back.
    assert_eq!(left(&m, 0), 0.0);
    assert_eq!(left(&m, 19_200), 0.0);
    assert_eq!(left(&m, 19_199), 0.0);
    assert!(m.rms_in(90_000..96_000) > 0.1, "still playing at the end");
}

#[test]
fn music_fades_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let dc = vec![0.5f32; 2 * 48_000 * 4];
    write_f32_wav(&dir.path().join("dc.wav"), 48_000, 2, &dc);
    let p = with_music("dc.wav", |m| {
        m.fade_in_ms = 500;
        m.fade_out_ms = 1000;
    });
    let m = mix(&p, &timeline(vec![], 3_000_000), dir.path()).unwrap();
    let n = m.frames();
    assert_eq!(n, 144_000);
    assert_eq!(left(&m, 0), 0.0);
    assert!((left(&m, 12_000) - 0.25 * std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4);
    assert_eq!(left(&m, 24_000), 0.25);
    assert_eq!(left(&m, n - 48_000 - 1), 0.25);
    assert!((left(&m, n - 1 - 24_000) - 0.25 * std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4);
    assert_eq!(left(&m, n - 1), 0.0);
    let fade_in: Vec<f32> = (0..24_000).map(|p| left(&m, p)).collect();
    assert!(fade_in.windows(2).all(|w| w[1] >= w[0]), "fade-in rises steadily");
    let fade_out: Vec<f32> = (n - 48_000..n).map(|p| left(&m, p)).collect();
    assert!(fade_out.windows(2).all(|w| w[1] <= w[0]), "fade-out falls steadily");
}

#[test]
fn music_ducks_under_voice_notes_only() {
    let dir = tempfile::tempdir().unwrap();
    write_f32_wav(&dir.path().join("dc.wav"), 48_000, 2, &vec![0.5f32; 2 * 48_000 * 4]);
    // Silent clips, so what is measured is the music alone.
    write_f32_wav(&dir.path().join("voice.wav"), 48_000, 2, &vec![0.0f32; 2 * 48_000]);
    write_f32_wav(&dir.path().join("sfx.wav"), 48_000, 2, &vec![0.0f32; 2 * 48_000]);
    let mut p = with_music("dc.wav", |_| {});
    p.audio.ducking = 0.8;
    p.messages.push(Message {
        kind: MessageKind::VoiceNote,
        sender: Some("sam".into()),
        media: Some("voice.wav".into()),
        ..Message::default()
    });
    let cues = vec![cue(1_000_000, CueSound::File("voice.wav".into()), 1.0)];
    let m = mix(&p, &timeline(cues, 3_000_000), dir.path()).unwrap();
    let attack = (DUCK_ATTACK_MS * 48) as usize;
    let release = (DUCK_RELEASE_MS * 48) as usize;
    let full = 0.25;
    let ducked = 0.25 * (1.0 - 0.8);
    assert_eq!(left(&m, 48_000 - attack - 1), full);
    assert!((left(&m, 48_000) - ducked).abs() < 1e-6, "ducked by the time the voice starts");
    assert!((left(&m, 95_999) - ducked).abs() < 1e-6);
    assert!(left(&m, 96_000 + release / 2) > ducked && left(&m, 96_000 + release / 2) < full);
    assert_eq!(left(&m, 96_000 + release), full);
    let ramp_down: Vec<f32> = (48_000 - attack..48_000).map(|f| left(&m, f)).collect();
    assert!(ramp_down.windows(2).all(|w| w[1] <= w[0]));

    // The same clip as a plain sound effect does not duck the music.
    let cues = vec![cue(1_000_000, CueSound::File("sfx.wav".into()), 1.0)];
    let m = mix(&p, &timeline(cues, 3_000_000), dir.path()).unwrap();
    assert!((0..144_000).all(|f| left(&m, f) == full));
}

#[test]
fn compressed_music_is_resampled_and_only_what_plays_is_used() {
    let dir = tempfile::tempdir().unwrap();
    make(dir.path(), "song.mp3", 44_100, &["-t", "1", "-c:a", "libmp3lame"]);
    // 1 s of video over a 1 s file at a 250 ms offset, looped: pitch intact, no gap at the seam.
    let p = with_music("song.mp3", |m| {
        m.looped = true;
        m.offset_ms = 250;
        m.volume = 1.0;
    });
    let m = mix(&p, &timeline(vec![], 1_500_000), dir.path()).unwrap();
    assert_eq!(m.frames(), 72_000);
    let f = frequency(&m.samples, 0);
    assert!((f - 440.0).abs() < 2.0, "{f} Hz");
    assert!(m.rms_in(40_000..50_000) > 0.3, "the loop continues past the end of the file");

    // A long track that does not loop: only the first seconds are decoded, the rest is never read.
    make_secs(dir.path(), "long.flac", 44_100, 20.0, &["-c:a", "flac"]);
    let p = with_music("long.flac", |m| m.volume = 1.0);
    let m = mix(&p, &timeline(vec![], 1_000_000), dir.path()).unwrap();
    assert!(m.rms_in(0..48_000) > 0.3);
    assert!((frequency(&m.samples, 1) - 660.0).abs() < 2.0);
}
