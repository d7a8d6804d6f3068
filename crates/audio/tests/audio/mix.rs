use chatframe_audio::{CEILING, Mix, builtin_sound, frames_for, mix};
use chatframe_model::{CueSound, SoundCue, Timeline};

use crate::support::{cue, project, timeline, write_f32_wav};

#[test]
fn the_mix_is_exactly_as_long_as_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let p = project();
    for (duration, frames) in [(1_000_000, 48_000), (1_234_567, 59_259), (1_000_011, 48_001), (100_000, 4_800), (10, 0)]
    {
        let m = mix(&p, &timeline(vec![], duration), dir.path()).unwrap();
        assert_eq!((m.frames(), m.samples.len()), (frames, frames * 2), "{duration} us");
        assert_eq!((m.sample_rate, m.channels), (48_000, 2));
        assert_eq!(frames_for(duration), frames);
    }
    // A whole starter project: every send/receive/pop sound lands and the length is exact.
    let t = Timeline::build(&p);
    let m = mix(&p, &t, dir.path()).unwrap();
    assert_eq!(m.frames() as u128, (t.duration as u128 * 48_000 + 500_000) / 1_000_000);
    assert!(!t.cues.is_empty());
    let first = (t.cues[0].at * 48_000 / 1_000_000) as usize;
    assert_eq!(m.peak_in(0..first), 0.0, "silence before the first cue");
    for c in &t.cues {
        let at = (c.at * 48_000 / 1_000_000) as usize;
        assert!(m.rms_in(at..at + 4_800) > 0.01, "no sound at cue {c:?}");
    }
    assert_eq!(m, mix(&p, &t, dir.path()).unwrap(), "the mix is deterministic");
}

#[test]
fn cues_land_on_the_exact_sample_with_their_gain() {
    let dir = tempfile::tempdir().unwrap();
    let pop = builtin_sound("pop").unwrap();
    // 1.234567 s is 59259.216 frames: the cue starts at frame 59259.
    let m =
        mix(&project(), &timeline(vec![cue(1_234_567, CueSound::Builtin("pop"), 0.5)], 2_000_000), dir.path()).unwrap();
    let at = 59_259;
    assert!(m.samples[..at * 2].iter().all(|&v| v == 0.0));
    let placed = &m.samples[at * 2..at * 2 + pop.len()];
    assert!(placed.iter().zip(pop).all(|(a, b)| *a == b * 0.5), "pop not at frame {at} with gain 0.5");
    assert!(m.samples[at * 2 + pop.len()..].iter().all(|&v| v == 0.0));

    // A file cue: a single impulse in a 48 kHz float WAV lands on frame at * 48000 / 1e6.
    let mut impulse = vec![0.0f32; 2 * 100];
    impulse[0] = 0.5;
    impulse[1] = -0.25;
    write_f32_wav(&dir.path().join("click.wav"), 48_000, 2, &impulse);
    let cues = vec![
        cue(20, CueSound::File("click.wav".into()), 1.0), // 0.96 frames -> 0
        cue(21, CueSound::File("click.wav".into()), 1.0), // 1.008 -> 1
        cue(999_999, CueSound::File("click.wav".into()), 0.3), // 47999.95 -> 47999
        cue(1_500_000, CueSound::File("click.wav".into()), 1.6), // 72000
    ];
    let m = mix(&project(), &timeline(cues, 2_000_000), dir.path()).unwrap();
    let nonzero: Vec<(usize, f32)> =
        m.samples.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(i, v)| (i, *v)).collect();
    assert_eq!(
        nonzero,
        [
            (0, 0.5),
            (1, -0.25),
            (2, 0.5),
            (3, -0.25),
            (47_999 * 2, 0.5 * 0.3),
            (47_999 * 2 + 1, -0.25 * 0.3),
            (72_000 * 2, 0.5 * 1.6),
            (72_000 * 2 + 1, -0.25 * 1.6)
        ]
    );
}

#[test]
fn gains_scale_and_overlapping_cues_add() {
    let dir = tempfile::tempdir().unwrap();
    let one = mix(&project(), &timeline(vec![cue(0, CueSound::Builtin("ding"), 1.0)], 1_500_000), dir.path()).unwrap();
    let quarter =
        mix(&project(), &timeline(vec![cue(0, CueSound::Builtin("ding"), 0.25)], 1_500_000), dir.path()).unwrap();
    assert!(one.samples.iter().zip(&quarter.samples).all(|(a, b)| (a * 0.25 - b).abs() < 1e-7));
    let ratio = quarter.rms() / one.rms();
    assert!((ratio - 0.25).abs() < 1e-4, "{ratio}");
    // Two half-gain cues at the same time equal one full-gain cue.
    let twice = mix(
        &project(),
        &timeline(vec![cue(0, CueSound::Builtin("ding"), 0.5), cue(0, CueSound::Builtin("ding"), 0.5)], 1_500_000),
        dir.path(),
    )
    .unwrap();
    assert!(one.samples.iter().zip(&twice.samples).all(|(a, b)| (a - b).abs() < 1e-6));
    // "none" is silence; a zero or NaN gain adds nothing.
    let silent = mix(
        &project(),
        &timeline(
            vec![
                cue(0, CueSound::Builtin("none"), 1.0),
                cue(0, CueSound::Builtin("send"), 0.0),
                cue(0, CueSound::Builtin("send"), f32::NAN),
            ],
            1_000_000,
        ),
        dir.path(),
    )
    .unwrap();
    assert_eq!(silent.peak(), 0.0);
}

#[test]
fn typing_loops_for_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let typing = builtin_sound("typing").unwrap();
    assert_eq!(typing.len(), 2 * 48_000, "the typing loop is one second");
    let c = SoundCue { at: 250_000, sound: CueSound::Builtin("typing"), gain: 0.5, length: Some(2_500_000) };
    let m = mix(&project(), &timeline(vec![c], 4_000_000), dir.path()).unwrap();
    let (start, end) = (12_000, 12_000 + 120_000);
    assert_eq!(m.peak_in(0..start), 0.0);
    assert_eq!(m.peak_in(end..m.frames()), 0.0, "typing must stop at its length");
    // The second and third seconds repeat the first exactly.
    for rep in 1..2 {
        let a = &m.samples[start * 2..(start + 48_000) * 2];
        let b = &m.samples[(start + rep * 48_000) * 2..(start + (rep + 1) * 48_000) * 2];
        assert_eq!(a, b);
    }
    assert!(m.samples[start * 2..(start + 48_000) * 2].iter().zip(typing).all(|(a, b)| *a == b * 0.5));
    assert!(m.rms_in(start + 96_000..end) > 0.0, "the last half second plays too");
}

#[test]
fn loud_stacks_are_limited_below_full_scale() {
    let dir = tempfile::tempdir().unwrap();
    let cues: Vec<SoundCue> =
        (0..12).map(|i| cue(i * 1_000, CueSound::Builtin(["send", "ding", "whoosh"][i as usize % 3]), 3.0)).collect();
    let m = mix(&project(), &timeline(cues, 2_000_000), dir.path()).unwrap();
    assert!(m.peak() <= CEILING, "peak {}", m.peak());
    assert!(m.peak() > 0.8, "the limiter should not crush: peak {}", m.peak());
    assert!(m.samples.iter().all(|v| v.is_finite()));
}

#[test]
fn s16le_and_wav_output_carry_the_same_samples() {
    let dir = tempfile::tempdir().unwrap();
    let m = mix(&project(), &timeline(vec![cue(10_000, CueSound::Builtin("receive"), 1.0)], 1_000_000), dir.path())
        .unwrap();
    let bytes = m.to_s16le();
    assert_eq!(bytes.len(), m.samples.len() * 2);
    let path = dir.path().join("out.wav");
    m.write_wav(&path).unwrap();
    let mut r = hound::WavReader::open(&path).unwrap();
    assert_eq!((r.spec().sample_rate, r.spec().channels, r.spec().bits_per_sample), (48_000, 2, 16));
    let from_wav: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    let from_raw: Vec<i16> = bytes.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
    assert_eq!(from_wav, from_raw);
    assert!(from_raw.iter().zip(&m.samples).all(|(i, f)| (f32::from(*i) / 32767.0 - f).abs() <= 0.5 / 32767.0 + 1e-7));

    let e = Mix::silent(10).write_wav(&dir.path().join("no/such/dir/out.wav")).unwrap_err();
    assert_eq!(e.code(), "AUDIO_WRITE_FAILED");
    assert!(e.to_string().contains("no/such/dir/out.wav"), "{e}");
}
