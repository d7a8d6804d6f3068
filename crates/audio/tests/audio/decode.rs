use chatframe_audio::{MediaLengths, decode_file, media_duration_ms};
use chatframe_model::{MediaDurations, Message, MessageKind, Timeline};

use crate::support::{frequency, make, make_secs, project, rms, write_f32_wav};

/// Every common format decodes to 48 kHz stereo with the right pitch (so resampling is right),
/// level, channel order and length.
#[test]
fn common_formats_decode_to_48k_stereo() {
    let dir = tempfile::tempdir().unwrap();
    // (file, source rate, encoder args, allowed length error in frames: lossless must be exact)
    let cases: [(&str, u32, &[&str], usize); 7] = [
        ("tone.wav", 44_100, &["-c:a", "pcm_s16le"], 0),
        ("tone24.wav", 96_000, &["-c:a", "pcm_s24le"], 0),
        ("tone.flac", 44_100, &["-c:a", "flac"], 0),
        ("tone.mp3", 44_100, &["-c:a", "libmp3lame", "-b:a", "128k"], 1200),
        ("tone.ogg", 44_100, &["-c:a", "libvorbis", "-q:a", "4"], 1200),
        ("tone.m4a", 44_100, &["-c:a", "aac", "-b:a", "128k"], 2400),
        ("tone22.wav", 22_050, &["-c:a", "pcm_s16le"], 0),
    ];
    for (name, rate, args, slack) in cases {
        let path = make(dir.path(), name, rate, args);
        let pcm = decode_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(pcm.source_rate, rate, "{name}");
        assert_eq!(pcm.source_channels, 2, "{name}");
        let frames = pcm.frames();
        assert!(frames.abs_diff(48_000) <= slack, "{name}: {frames} frames for 1 s");
        let (fl, fr) = (frequency(&pcm.samples, 0), frequency(&pcm.samples, 1));
        assert!((fl - 440.0).abs() < 1.0, "{name}: left at {fl:.2} Hz");
        assert!((fr - 660.0).abs() < 1.0, "{name}: right at {fr:.2} Hz");
        let level = rms(&pcm.samples, 0);
        assert!((level - 0.5 / 2f64.sqrt()).abs() < 0.02, "{name}: rms {level:.4}");
    }
}

#[test]
fn mono_plays_on_both_sides_and_float_wav_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let mono = make(dir.path(), "mono.flac", 48_000, &["-ac", "1", "-c:a", "flac"]);
    let pcm = decode_file(&mono).unwrap();
    assert_eq!((pcm.source_channels, pcm.frames()), (1, 48_000));
    assert!(pcm.samples.chunks_exact(2).all(|f| f[0] == f[1]));
    // ffmpeg averages the two tones into the mono channel: rms 0.25.
    assert!((rms(&pcm.samples, 1) - 0.25).abs() < 0.01);

    // A 48 kHz float WAV is passed through bit for bit; NaN and infinities become silence.
    let path = dir.path().join("exact.wav");
    let mut samples: Vec<f32> = (0..2000).map(|i| (i as f32 / 2000.0) - 0.5).collect();
    samples[10] = f32::NAN;
    samples[11] = f32::INFINITY;
    write_f32_wav(&path, 48_000, 2, &samples);
    let pcm = decode_file(&path).unwrap();
    assert_eq!(pcm.samples.len(), 2000);
    assert_eq!(pcm.samples[..10], samples[..10]);
    assert_eq!(pcm.samples[10..12], [0.0, 0.0]);
    assert_eq!(pcm.samples[12..], samples[12..]);
}

#[test]
fn surround_is_folded_to_stereo() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::ffmpeg(
        dir.path(),
        "51.flac",
        &["-f", "lavfi", "-i", "sine=f=500:d=0.5:sample_rate=48000", "-af", "pan=5.1|FC=c0", "-c:a", "flac"],
    );
    let pcm = decode_file(&path).unwrap();
    assert_eq!(pcm.source_channels, 6);
    // Centre-only content lands equally on both sides at -3 dB (ffmpeg's sine is 1/8 amplitude).
    let (l, r) = (rms(&pcm.samples, 0), rms(&pcm.samples, 1));
    assert!(
        (l - r).abs() < 1e-6 && (l - 0.125 / 2f64.sqrt() * std::f64::consts::FRAC_1_SQRT_2).abs() < 0.005,
        "{l} {r}"
    );
}

#[test]
fn durations_are_measured_and_feed_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let wav = make_secs(dir.path(), "note.wav", 44_100, 0.75, &["-c:a", "pcm_s16le"]);
    assert_eq!(media_duration_ms(&wav).unwrap(), 750);
    let mp3 = make_secs(dir.path(), "note.mp3", 44_100, 2.5, &["-c:a", "libmp3lame"]);
    let ms = media_duration_ms(&mp3).unwrap();
    assert!(ms.abs_diff(2500) <= 30, "mp3 measured {ms} ms");

    // A voice note holds for its real length (longer than the default minimum hold).
    let mut p = project();
    p.messages.push(Message {
        kind: MessageKind::VoiceNote,
        sender: Some("sam".into()),
        media: Some("note.mp3".into()),
        ..Message::default()
    });
    let lengths = MediaLengths::new(dir.path());
    let t = Timeline::build_with(&p, &lengths);
    let e = t.entries.last().unwrap();
    assert_eq!(e.hold_end - e.appear, i64::from(ms) * 1000);

    // Results are cached: the file is not read again, even after it is gone.
    std::fs::remove_file(&mp3).unwrap();
    assert_eq!(lengths.duration_ms("note.mp3"), Some(ms));
    // A file that cannot be read gives no length (the timeline falls back to auto timing).
    assert_eq!(lengths.duration_ms("nope.mp3"), None);
    assert_eq!(MediaLengths::new(dir.path()).duration_ms("note.mp3"), None);
}
