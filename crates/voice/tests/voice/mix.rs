use chatframe_audio::{MediaLengths, VoiceClips, WithVoice, frame_at, mix_with_voice};
use chatframe_model::{Music, Project, Timeline};

use crate::support::{voice, voiced_project};

const LINES: [&str; 3] = ["Did you see that?", "See what?", "The sky just turned green."];

fn timeline(p: &Project, dir: &std::path::Path, clips: &dyn VoiceClips) -> Timeline {
    Timeline::build_with(p, &WithVoice { media: &MediaLengths::new(dir), voice: clips })
}

/// The lag (in frames, within ±`reach`) at which `clip` best matches the mix's left channel
/// around `expected`.
fn best_lag(mix: &[f32], clip: &[f32], expected: i64, reach: i64) -> i64 {
    let n = clip.len().min(24_000);
    (-reach..=reach)
        .max_by(|&a, &b| {
            let score = |lag: i64| -> f64 {
                let start = expected + lag;
                (0..n)
                    .map(|k| {
                        let f = start + k as i64;
                        let m = if f < 0 || (f as usize) * 2 >= mix.len() { 0.0 } else { mix[f as usize * 2] };
                        f64::from(m) * f64::from(clip[k])
                    })
                    .sum()
            };
            score(a).total_cmp(&score(b))
        })
        .unwrap()
}

#[test]
fn each_clip_lands_on_its_lines_sample() {
    let dir = tempfile::tempdir().unwrap();
    let p = voiced_project(&LINES);
    let (track, _) = voice(&p, dir.path());
    let tl = timeline(&p, dir.path(), &track);
    assert_eq!(tl.voice.len(), 3);
    let mix = mix_with_voice(&p, &tl, dir.path(), &track).unwrap();
    for line in &tl.voice {
        let clip = track.clip(line.index).unwrap();
        // Search ±10 ms; the clip must sit within 1 ms (48 frames) of the line's start.
        let lag = best_lag(&mix.samples, clip, frame_at(line.at), 480);
        assert!(lag.abs() <= 48, "message {}: clip is {lag} frames off", line.index);
        assert_eq!(lag, 0, "message {}: placement is sample-exact", line.index);
        // And the line lasts exactly its clip.
        assert_eq!(line.length, chatframe_audio::clip_length_us(clip.len()));
    }
    // Nothing before the first line: the mix is silent until the first word.
    let first = frame_at(tl.voice[0].at) as usize;
    assert_eq!(mix.peak_in(0..first), 0.0);
}

#[test]
fn music_ducks_under_speech_and_comes_back_between_lines() {
    let dir = tempfile::tempdir().unwrap();
    // A steady 220 Hz tone as the music.
    let tone: Vec<f32> =
        (0..48_000 * 30).map(|i| (i as f32 * 220.0 * std::f32::consts::TAU / 48_000.0).sin() * 0.5).collect();
    chatframe_voice::Clip { samples: tone.into() }.write_wav(&dir.path().join("tone.wav")).unwrap();
    let mut p = voiced_project(&LINES);
    p.audio.voice_over.gap_ms = 1_500; // long gaps: the music has time to come back up
    p.audio.voice_volume = 0.5; // headroom: the limiter must not touch the sum
    p.audio.music =
        Some(Music { src: "tone.wav".into(), volume: 0.3, fade_in_ms: 0, fade_out_ms: 0, looped: true, offset_ms: 0 });
    let (track, _) = voice(&p, dir.path());
    let tl = timeline(&p, dir.path(), &track);
    let with_music = mix_with_voice(&p, &tl, dir.path(), &track).unwrap();
    let mut quiet = p.clone();
    quiet.audio.music = None;
    let voice_only = mix_with_voice(&quiet, &tl, dir.path(), &track).unwrap();
    // The music alone, as it plays in the final mix.
    let music: Vec<f32> = with_music.samples.iter().zip(&voice_only.samples).map(|(a, b)| a - b).collect();
    let music = chatframe_audio::Mix { sample_rate: 48_000, channels: 2, samples: music };
    let l = &tl.voice[1];
    let (s, e) = (frame_at(l.at) as usize, frame_at(l.end()) as usize);
    let under = music.rms_in(s + 4_800..e - 4_800);
    // Between lines, after the 300 ms release and before the next line's 80 ms attack.
    let gap = music.rms_in(e + 24_000..e + 48_000);
    let full = 0.3 * 0.5 / 2f32.sqrt();
    assert!((gap - full).abs() < full * 0.05, "between lines the music is at full level: {gap} vs {full}");
    let ratio = under / gap;
    assert!((ratio - 0.4).abs() < 0.05, "music under speech at {ratio:.3} of its level (ducking 0.6)");
}
