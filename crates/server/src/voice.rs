//! Voice cloning behind [`VoiceEngine`]. The built-in engine does not clone timbre: it decodes
//! the sample (symphonia; WAV, MP3, FLAC, Ogg/Vorbis, AAC/M4A...), measures the speaker's median
//! pitch and syllable rate, and picks the espeak-ng variant, pitch and speed that match them. A
//! real cloning provider implements the same trait and returns its own voice id.

use std::io::Cursor;

use serde_json::{Value, json};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CODEC_TYPE_NULL, DecoderOptions};
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Languages voices can be made for (each has an espeak-ng voice).
pub const LANGUAGES: &[&str] =
    &["en", "es", "fr", "de", "it", "pt", "ja", "nl", "pl", "ru", "sv", "tr", "hi", "ko", "zh"];

/// The espeak-ng voice name of a language with a variant (`m3`, `f3`).
pub fn espeak_voice(language: &str, variant: &str) -> String {
    // Our language codes to espeak-ng voice names where they differ.
    let base = match language {
        "en" => "en-us",
        "zh" => "cmn",
        other => other,
    };
    format!("{base}+{variant}")
}

pub const MIN_SECONDS: f64 = 5.0;
pub const MAX_SECONDS: f64 = 30.0;

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("the sample is not a supported audio file: {0}")]
    Unsupported(String),
    #[error("the sample is {0:.1} s long; send 5-30 seconds of speech")]
    Duration(f64),
    #[error("the sample holds no voiced speech to measure")]
    NoSpeech,
}

/// Mono samples of an uploaded voice sample.
pub struct DecodedSample {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    pub seconds: f64,
}

/// What the engine made of a sample.
pub struct VoiceProfile {
    pub engine_voice: String,
    pub pitch: u32,
    pub rate: u32,
    pub analysis: Value,
}

pub trait VoiceEngine: Send + Sync {
    fn name(&self) -> &str;
    /// Blocking; `language` is a BCP-47-ish code such as `en`.
    fn clone_voice(&self, sample: &DecodedSample, language: &str) -> Result<VoiceProfile, VoiceError>;
}

/// Decodes any format symphonia knows, downmixed to mono. Stops as soon as the audio is longer
/// than allowed, so a tiny file that expands to hours of audio costs nothing.
pub fn decode_sample(bytes: Vec<u8>) -> Result<DecodedSample, VoiceError> {
    let unsupported = |e: symphonia::core::errors::Error| VoiceError::Unsupported(e.to_string());
    let mss = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let probed = symphonia::default::get_probe()
        .format(&Hint::new(), mss, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(unsupported)?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| VoiceError::Unsupported("no audio track".into()))?;
    let track_id = track.id;
    let mut decoder =
        symphonia::default::get_codecs().make(&track.codec_params, &DecoderOptions::default()).map_err(unsupported)?;
    let mut sample_rate = track.codec_params.sample_rate.unwrap_or(0);
    let mut mono = Vec::new();
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(symphonia::core::errors::Error::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(symphonia::core::errors::Error::ResetRequired) => break,
            Err(e) => return Err(unsupported(e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(symphonia::core::errors::Error::DecodeError(_)) => continue,
            Err(e) => return Err(unsupported(e)),
        };
        let spec = *decoded.spec();
        sample_rate = spec.rate;
        let channels = spec.channels.count().max(1);
        let mut buf = SampleBuffer::<f32>::new(decoded.capacity() as u64, spec);
        buf.copy_interleaved_ref(decoded);
        mono.extend(buf.samples().chunks(channels).map(|f| f.iter().sum::<f32>() / channels as f32));
        if sample_rate > 0 && mono.len() as f64 / f64::from(sample_rate) > MAX_SECONDS + 0.5 {
            return Err(VoiceError::Duration(mono.len() as f64 / f64::from(sample_rate)));
        }
    }
    if sample_rate == 0 || mono.is_empty() {
        return Err(VoiceError::Unsupported("no audio could be decoded".into()));
    }
    let seconds = mono.len() as f64 / f64::from(sample_rate);
    if !(MIN_SECONDS..=MAX_SECONDS + 0.5).contains(&seconds) {
        return Err(VoiceError::Duration(seconds));
    }
    Ok(DecodedSample { samples: mono, sample_rate, seconds })
}

/// Measurements of a speech sample.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Median fundamental frequency of voiced frames, Hz.
    pub median_f0: f64,
    /// Share of frames that are voiced.
    pub voiced_ratio: f64,
    /// Loudness peaks (≈ syllables) per second of voiced time.
    pub syllables_per_sec: f64,
}

/// Pitch by normalized autocorrelation on 40 ms frames (60-400 Hz), rate by counting peaks of
/// the smoothed loudness envelope. Coarse, but stable enough to choose a matching preset.
pub fn measure(sample: &DecodedSample) -> Result<Measured, VoiceError> {
    // Decimate to ~8 kHz: enough for speech pitch and cheap to correlate.
    let factor = (sample.sample_rate / 8000).max(1) as usize;
    let sr = f64::from(sample.sample_rate) / factor as f64;
    let x: Vec<f32> = sample.samples.chunks(factor).map(|c| c.iter().sum::<f32>() / c.len() as f32).collect();
    let frame = (sr * 0.04) as usize;
    let hop = frame / 2;
    let (min_lag, max_lag) = ((sr / 400.0) as usize, (sr / 60.0) as usize);
    if frame == 0 || x.len() < frame + max_lag {
        return Err(VoiceError::NoSpeech);
    }
    let energies: Vec<f32> =
        (0..(x.len() - frame - max_lag) / hop).map(|i| rms(&x[i * hop..i * hop + frame])).collect();
    let loud = percentile(&energies, 0.9) * 0.25;
    let mut f0s = Vec::new();
    let mut voiced_frames = 0usize;
    for (i, e) in energies.iter().enumerate() {
        if *e < loud || *e < 1e-4 {
            continue;
        }
        let start = i * hop;
        let w = &x[start..start + frame];
        let corr: Vec<f64> = (min_lag..=max_lag)
            .map(|lag| {
                let v = &x[start + lag..start + lag + frame];
                let (mut num, mut d1, mut d2) = (0.0f64, 0.0f64, 0.0f64);
                for (a, b) in w.iter().zip(v) {
                    num += f64::from(a * b);
                    d1 += f64::from(a * a);
                    d2 += f64::from(b * b);
                }
                num / (d1 * d2).sqrt().max(1e-12)
            })
            .collect();
        let best = corr.iter().copied().fold(0.0f64, f64::max);
        // Multiples of the period correlate almost as well as the period itself; the first
        // peak close to the best is the fundamental (avoids octave errors).
        let best_lag = (1..corr.len().saturating_sub(1))
            .find(|&i| corr[i] >= 0.9 * best && corr[i] >= corr[i - 1] && corr[i] >= corr[i + 1])
            .map_or(0, |i| i + min_lag);
        if best > 0.6 && best_lag > 0 {
            voiced_frames += 1;
            f0s.push(sr / best_lag as f64);
        }
    }
    if f0s.len() < 5 {
        return Err(VoiceError::NoSpeech);
    }
    f0s.sort_by(f64::total_cmp);
    let median_f0 = f0s[f0s.len() / 2];
    // Syllables: peaks of the energy envelope at least 120 ms apart and above the loud threshold.
    let min_gap = ((0.12 * sr) / hop as f64).ceil() as usize;
    let mut peaks = 0usize;
    let mut last_peak: Option<usize> = None;
    for i in 1..energies.len().saturating_sub(1) {
        let e = energies[i];
        if e >= loud && e >= energies[i - 1] && e > energies[i + 1] && last_peak.is_none_or(|p| i - p >= min_gap) {
            peaks += 1;
            last_peak = Some(i);
        }
    }
    // Speaking time: frames not in a pause (well below the loud level), so silences between
    // phrases do not slow the measured rate down.
    let active = energies.iter().filter(|e| **e >= loud * 0.2).count();
    let active_secs = (active as f64 * hop as f64 / sr).max(sample.seconds * 0.3);
    Ok(Measured {
        median_f0,
        voiced_ratio: voiced_frames as f64 / energies.len().max(1) as f64,
        syllables_per_sec: peaks as f64 / active_secs,
    })
}

fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| v * v).sum::<f32>() / x.len().max(1) as f32).sqrt()
}

fn percentile(v: &[f32], p: f64) -> f32 {
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    s.get(((s.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0.0)
}

/// The built-in engine: fits espeak-ng pitch, speed and a male/female variant to the sample.
pub struct PitchRateFitter;

impl VoiceEngine for PitchRateFitter {
    fn name(&self) -> &str {
        "espeak-ng pitch/rate fit"
    }

    fn clone_voice(&self, sample: &DecodedSample, language: &str) -> Result<VoiceProfile, VoiceError> {
        let m = measure(sample)?;
        // Below ~165 Hz most voices read as male; espeak's pitch 0-99 spans roughly an octave
        // around each variant's base, so map the typical range of each group onto it.
        let (variant, lo, hi) = if m.median_f0 < 165.0 { ("m3", 85.0, 165.0) } else { ("f3", 165.0, 300.0) };
        let pitch = (20.0 + (m.median_f0.clamp(lo, hi) - lo) / (hi - lo) * 60.0).round() as u32;
        // About 1.5 syllables per English word.
        let rate = (m.syllables_per_sec * 60.0 / 1.5).clamp(90.0, 260.0).round() as u32;
        Ok(VoiceProfile {
            engine_voice: espeak_voice(language, variant),
            pitch,
            rate,
            analysis: json!({
                "engine": self.name(),
                "median_pitch_hz": (m.median_f0 * 10.0).round() / 10.0,
                "syllables_per_second": (m.syllables_per_sec * 100.0).round() / 100.0,
                "voiced_ratio": (m.voiced_ratio * 100.0).round() / 100.0,
                "sample_seconds": (sample.seconds * 100.0).round() / 100.0,
                "note": "pitch and speaking rate are matched; timbre is not cloned by the built-in engine"
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(f0: f64, secs: f64, sr: u32) -> DecodedSample {
        let n = (secs * f64::from(sr)) as usize;
        let samples = (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(sr);
                // 4 "syllables" a second: loudness bumps on a harmonic-rich voiced tone.
                let env = (0.5 - 0.5 * (2.0 * std::f64::consts::PI * 4.0 * t).cos()).powi(2);
                let v: f64 = (1..6).map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64).sum();
                (0.3 * env * v) as f32
            })
            .collect();
        DecodedSample { samples, sample_rate: sr, seconds: secs }
    }

    #[test]
    fn measures_pitch_and_syllable_rate() {
        let m = measure(&tone(120.0, 6.0, 16000)).unwrap();
        assert!((m.median_f0 - 120.0).abs() < 8.0, "{m:?}");
        assert!((2.5..6.0).contains(&m.syllables_per_sec), "{m:?}");
        let p = PitchRateFitter.clone_voice(&tone(220.0, 6.0, 16000), "en").unwrap();
        assert_eq!(p.engine_voice, "en-us+f3");
    }
}
