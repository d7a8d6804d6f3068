//! Fixture helpers: files are made at test time (ffmpeg for compressed formats, hound for exact
//! float WAVs) in a temp dir, so the repository carries no binary test media.

use std::path::{Path, PathBuf};
use std::process::Command;

use chatframe_model::{CueSound, Micros, Project, SoundCue, Timeline};

/// Runs the real ffmpeg CLI to make `name` in `dir`. CI installs ffmpeg (Makefile APT_PACKAGES), so
/// a missing ffmpeg is a failure, not a skip: a skipped decode test would prove nothing.
pub fn ffmpeg(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .arg(&out)
        .status()
        .expect("ffmpeg must be installed to run these tests (apt-get install ffmpeg)");
    assert!(status.success(), "ffmpeg failed making {name}");
    out
}

/// `secs` of a 440 Hz tone on the left and 660 Hz on the right at amplitude 0.5, at `rate`.
/// Different tones per side prove channel order survives decoding.
pub fn tone_args(rate: u32, secs: f32) -> Vec<String> {
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        format!("aevalsrc=0.5*sin(440*2*PI*t)|0.5*sin(660*2*PI*t):s={rate}:d={secs}"),
    ]
}

/// One second of the test tone.
pub fn make(dir: &Path, name: &str, rate: u32, codec_args: &[&str]) -> PathBuf {
    make_secs(dir, name, rate, 1.0, codec_args)
}

pub fn make_secs(dir: &Path, name: &str, rate: u32, secs: f32, codec_args: &[&str]) -> PathBuf {
    let mut args = tone_args(rate, secs);
    args.extend(codec_args.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ffmpeg(dir, name, &refs)
}

/// Writes interleaved float samples exactly (no quantisation), for sample-exact mix checks.
pub fn write_f32_wav(path: &Path, rate: u32, channels: u16, samples: &[f32]) {
    let spec =
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 32, sample_format: hound::SampleFormat::Float };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    samples.iter().for_each(|&s| w.write_sample(s).unwrap());
    w.finalize().unwrap();
}

/// Frequency of channel `ch` of interleaved stereo, from rising zero crossings over the middle
/// (edges skipped: lossy codecs and filters ramp in and out).
pub fn frequency(samples: &[f32], ch: usize) -> f64 {
    let frames = samples.len() / 2;
    let (from, to) = (frames / 10, frames * 9 / 10);
    let mut crossings = Vec::new();
    for f in from + 1..to {
        if samples[(f - 1) * 2 + ch] < 0.0 && samples[f * 2 + ch] >= 0.0 {
            crossings.push(f);
        }
    }
    assert!(crossings.len() > 2, "no tone found");
    let span = (crossings[crossings.len() - 1] - crossings[0]) as f64;
    (crossings.len() - 1) as f64 * 48_000.0 / span
}

pub fn rms(samples: &[f32], ch: usize) -> f64 {
    let frames = samples.len() / 2;
    let (from, to) = (frames / 10, frames * 9 / 10);
    ((from..to).map(|f| f64::from(samples[f * 2 + ch]).powi(2)).sum::<f64>() / (to - from) as f64).sqrt()
}

pub fn project() -> Project {
    chatframe_model::starter_project("audio test")
}

pub fn cue(at: Micros, sound: CueSound, gain: f32) -> SoundCue {
    SoundCue { at, sound, gain, length: None }
}

/// A timeline with only the given cues (entries are not read by the mixer).
pub fn timeline(cues: Vec<SoundCue>, duration: Micros) -> Timeline {
    Timeline { entries: Vec::new(), cues, voice: Vec::new(), duration, fps: 30 }
}
