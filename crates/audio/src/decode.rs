//! Decoding audio files (anything symphonia reads: WAV, MP3, Ogg Vorbis, FLAC, AAC/M4A, ALAC, ...)
//! to 48 kHz stereo f32, and measuring their length for the timeline.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use symphonia::core::audio::{Channels, SampleBuffer};
use symphonia::core::codecs::{CODEC_TYPE_NULL, DecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::resample::{output_frames, resample_stereo};
use crate::{AudioError, FileProblem, SAMPLE_RATE};

/// Longest audio we decode. A chat video is a few minutes; a longer file is almost certainly a
/// mistake (a whole album as background music), and 30 min of 48 kHz stereo f32 is already ~700 MB.
pub const MAX_DECODE_SECONDS: u64 = 30 * 60;
/// Largest audio file we open (30 min of uncompressed 96 kHz/24-bit stereo fits under this).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Packets that fail to decode are skipped (a damaged frame in an MP3 should not sink an export),
/// but a file that is mostly damage is reported.
const MAX_BAD_PACKETS: usize = 64;

/// Decoded audio at [`SAMPLE_RATE`], interleaved stereo.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    pub samples: Vec<f32>,
    /// Sample rate and channel count of the file, before conversion.
    pub source_rate: u32,
    pub source_channels: u16,
}

impl Pcm {
    pub fn frames(&self) -> usize {
        self.samples.len() / 2
    }

    /// Length in microseconds (rounded down to the sample).
    pub fn duration_us(&self) -> i64 {
        (self.frames() as i64) * 1_000_000 / i64::from(SAMPLE_RATE)
    }
}

/// Decodes any common audio file to 48 kHz stereo f32. Mono is copied to both channels, surround
/// is downmixed (ITU-style: centre and surrounds at -3 dB, LFE dropped); lengths are exact
/// (`round(frames * 48000 / rate)`).
pub fn decode_file(path: &Path) -> Result<Pcm, AudioError> {
    let src = decode_source(path, None)?;
    let frames = output_frames(src.frames(), src.rate);
    let samples = resample_stereo(&src.samples, src.rate, 0, frames);
    Ok(Pcm { samples, source_rate: src.rate, source_channels: src.channels })
}

/// Length of an audio file in milliseconds (rounded to nearest), counted from the decoded samples
/// rather than container headers, which are often missing or wrong for MP3.
pub fn media_duration_ms(path: &Path) -> Result<u32, AudioError> {
    let src = decode_source(path, None)?;
    let ms = (src.frames() as u64 * 1000 + u64::from(src.rate) / 2) / u64::from(src.rate);
    Ok(ms as u32)
}

/// The lengths of a project's media files, for [`chatframe_model::Timeline::build_with`], so voice
/// notes hold for as long as they play. Each file is measured once; a file that cannot be read
/// yields `None` (the timeline falls back to auto timing, and the mix reports the error with its
/// JSON path).
pub struct MediaLengths {
    base_dir: PathBuf,
    cache: Mutex<HashMap<String, Option<u32>>>,
}

impl MediaLengths {
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        MediaLengths { base_dir: base_dir.into(), cache: Mutex::new(HashMap::new()) }
    }
}

impl chatframe_model::MediaDurations for MediaLengths {
    fn duration_ms(&self, media: &str) -> Option<u32> {
        if let Some(hit) = self.cache.lock().ok()?.get(media) {
            return *hit;
        }
        let path = chatframe_model::resolve_media(&self.base_dir, media);
        let ms = match media_duration_ms(&path) {
            Ok(ms) => Some(ms),
            Err(e) => {
                tracing::warn!("voice note length unknown, using the default hold: {e}");
                None
            }
        };
        self.cache.lock().ok()?.insert(media.to_string(), ms);
        ms
    }
}

/// Decoded audio at the file's own rate, converted to interleaved stereo. Resampling is left to
/// the caller so it can convert only the window it needs.
pub(crate) struct Source {
    pub rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Source {
    pub fn frames(&self) -> usize {
        self.samples.len() / 2
    }

    /// Length once converted to 48 kHz.
    pub fn out_frames(&self) -> usize {
        output_frames(self.frames(), self.rate)
    }

    /// Output frames `start .. start + len` at 48 kHz.
    pub fn window_48k(&self, start: usize, len: usize) -> Vec<f32> {
        resample_stereo(&self.samples, self.rate, start, len)
    }
}

/// Decodes `path`; stops once `max_us` microseconds are decoded when given (music that does not
/// loop only needs what plays).
pub(crate) fn decode_source(path: &Path, max_us: Option<u64>) -> Result<Source, AudioError> {
    let fail = |problem| AudioError::file(path, problem);
    let meta = std::fs::metadata(path).map_err(|e| fail(io_problem(e)))?;
    if meta.is_dir() {
        return Err(fail(FileProblem::Io(std::io::Error::other("it is a directory"))));
    }
    if meta.len() == 0 {
        return Err(fail(FileProblem::Empty));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(FileProblem::TooLarge { mb: meta.len() >> 20, limit_mb: MAX_FILE_BYTES >> 20 }));
    }
    let file = File::open(path).map_err(|e| fail(io_problem(e)))?;
    let mss = MediaSourceStream::new(Box::new(file), MediaSourceStreamOptions::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    // Gapless mode trims encoder delay and padding (MP3 LAME headers, AAC edit lists), so lossy
    // files come out as long as the audio that was encoded.
    let opts = FormatOptions { enable_gapless: true, ..FormatOptions::default() };
    let probed = symphonia::default::get_probe()
        .format(&hint, mss, &opts, &MetadataOptions::default())
        .map_err(|e| fail(symphonia_problem(e)))?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL && t.codec_params.sample_rate != Some(0))
        .ok_or_else(|| fail(FileProblem::NoAudio))?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let limit_minutes = MAX_DECODE_SECONDS / 60;
    if let (Some(n), Some(rate)) = (params.n_frames, params.sample_rate)
        && n / u64::from(rate) > MAX_DECODE_SECONDS
    {
        return Err(fail(FileProblem::TooLong { limit_minutes }));
    }
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| fail(symphonia_problem(e)))?;

    let mut rate = params.sample_rate.unwrap_or(0);
    let mut channels = 0u16;
    let mut samples: Vec<f32> = Vec::new();
    let mut buf: Option<SampleBuffer<f32>> = None;
    let mut bad = 0usize;
    let mut last_error = String::new();
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            // A new chained stream (Ogg) or a truncated tail: keep what decoded so far.
            Err(SymError::ResetRequired) => break,
            Err(e) if samples.is_empty() => return Err(fail(symphonia_problem(e))),
            Err(e) => {
                tracing::warn!("{}: stopped reading at a damaged part ({e})", path.display());
                break;
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymError::DecodeError(msg)) => {
                bad += 1;
                last_error = msg.to_string();
                if bad > MAX_BAD_PACKETS && samples.len() < bad * 2 {
                    return Err(fail(FileProblem::Corrupt(last_error)));
                }
                continue;
            }
            Err(SymError::IoError(_)) => break,
            Err(e) => return Err(fail(symphonia_problem(e))),
        };
        let spec = *decoded.spec();
        if rate == 0 {
            rate = spec.rate;
        }
        if spec.rate != rate {
            return Err(fail(FileProblem::Unsupported("the sample rate changes mid-stream".into())));
        }
        if decoded.frames() == 0 {
            continue;
        }
        let sb = match &mut buf {
            Some(b) if b.capacity() >= decoded.capacity() * spec.channels.count() => b,
            _ => buf.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
        };
        sb.copy_interleaved_ref(decoded);
        channels = spec.channels.count() as u16;
        to_stereo(sb.samples(), spec.channels, &mut samples);
        let frames = (samples.len() / 2) as u64;
        if rate > 0 && frames / u64::from(rate) > MAX_DECODE_SECONDS {
            return Err(fail(FileProblem::TooLong { limit_minutes }));
        }
        // The margin covers the resampler's reach past the last frame that plays.
        if max_us.is_some_and(|us| frames >= us.saturating_mul(u64::from(rate)) / 1_000_000 + 1024) {
            break;
        }
    }
    if samples.is_empty() || rate == 0 {
        return Err(fail(if bad > 0 { FileProblem::Corrupt(last_error) } else { FileProblem::NoAudio }));
    }
    Ok(Source { rate, channels, samples })
}

fn io_problem(e: std::io::Error) -> FileProblem {
    if e.kind() == std::io::ErrorKind::NotFound { FileProblem::NotFound } else { FileProblem::Io(e) }
}

fn symphonia_problem(e: SymError) -> FileProblem {
    match e {
        SymError::Unsupported(what) => FileProblem::Unsupported(what.trim_start_matches("core (probe): ").to_string()),
        SymError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            FileProblem::Corrupt("the file ends early".into())
        }
        SymError::IoError(e) => FileProblem::Io(e),
        SymError::DecodeError(msg) => FileProblem::Corrupt(msg.to_string()),
        SymError::LimitError(msg) => FileProblem::Corrupt(format!("limit reached: {msg}")),
        other => FileProblem::Corrupt(other.to_string()),
    }
}

/// Appends interleaved `input` (in the channel order of `layout`) to `out` as stereo. Mono goes to
/// both sides at full level; surround is folded down with centre and surrounds at -3 dB and the
/// LFE dropped, the usual broadcast downmix. Non-finite samples (possible in float WAVs) become
/// silence so they cannot poison the mix.
fn to_stereo(input: &[f32], layout: Channels, out: &mut Vec<f32>) {
    let n = layout.count().max(1);
    let clean = |v: f32| if v.is_finite() { v } else { 0.0 };
    out.reserve(input.len() / n * 2);
    match n {
        1 => input.iter().for_each(|&v| out.extend([clean(v), clean(v)])),
        2 => out.extend(input.iter().map(|&v| clean(v))),
        _ => {
            let gains: Vec<(f32, f32)> = (0..32u32)
                .filter(|bit| layout.bits() & (1 << bit) != 0)
                .map(|bit| downmix_gain(Channels::from_bits_truncate(1 << bit)))
                .collect();
            for frame in input.chunks_exact(n) {
                let (mut l, mut r) = (0.0, 0.0);
                for (v, (gl, gr)) in frame.iter().zip(&gains) {
                    l += clean(*v) * gl;
                    r += clean(*v) * gr;
                }
                out.extend([l, r]);
            }
        }
    }
}

fn downmix_gain(ch: Channels) -> (f32, f32) {
    const H: f32 = std::f32::consts::FRAC_1_SQRT_2;
    let left = Channels::FRONT_LEFT | Channels::FRONT_LEFT_CENTRE | Channels::FRONT_LEFT_WIDE;
    let right = Channels::FRONT_RIGHT | Channels::FRONT_RIGHT_CENTRE | Channels::FRONT_RIGHT_WIDE;
    let rear_left = Channels::REAR_LEFT | Channels::SIDE_LEFT | Channels::REAR_LEFT_CENTRE;
    let rear_right = Channels::REAR_RIGHT | Channels::SIDE_RIGHT | Channels::REAR_RIGHT_CENTRE;
    if left.contains(ch) {
        (1.0, 0.0)
    } else if right.contains(ch) {
        (0.0, 1.0)
    } else if rear_left.contains(ch) {
        (H, 0.0)
    } else if rear_right.contains(ch) {
        (0.0, H)
    } else if (Channels::LFE1 | Channels::LFE2).contains(ch) {
        (0.0, 0.0)
    } else {
        (H, H) // centres and anything exotic (heights): to both sides
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_is_duplicated_and_nan_silenced() {
        let mut out = Vec::new();
        to_stereo(&[0.5, f32::NAN, -0.25], Channels::FRONT_CENTRE, &mut out);
        assert_eq!(out, [0.5, 0.5, 0.0, 0.0, -0.25, -0.25]);
    }

    #[test]
    fn surround_folds_down() {
        let layout = Channels::FRONT_LEFT
            | Channels::FRONT_RIGHT
            | Channels::FRONT_CENTRE
            | Channels::LFE1
            | Channels::REAR_LEFT
            | Channels::REAR_RIGHT;
        let mut out = Vec::new();
        // FL FR FC LFE RL RR: only the centre and the LFE carry signal.
        to_stereo(&[0.0, 0.0, 0.5, 1.0, 0.0, 0.0], layout, &mut out);
        assert!((out[0] - 0.5 * std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert_eq!(out[0], out[1]);
        out.clear();
        to_stereo(&[0.2, 0.0, 0.0, 0.0, 0.0, 0.4], layout, &mut out);
        assert!((out[0] - 0.2).abs() < 1e-6 && (out[1] - 0.4 * std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }
}
