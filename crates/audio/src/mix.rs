//! The timeline's audio mix: sound cues (built-ins, per-message files, voice notes) and music,
//! rendered offline into one 48 kHz stereo buffer exactly as long as the video.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chatframe_model::{CueSound, MessageKind, Micros, Project, Timeline, resolve_media};

use crate::builtin::{builtin_sound, loops};
use crate::gain::{DECLICK_FRAMES, finite_gain};
use crate::voice::{NoVoice, VoiceClips, add_voice};
use crate::{AudioError, CHANNELS, SAMPLE_RATE, decode_file, limiter, music};

/// Longest mix we render. Memory is 384 KB per second; two hours (~2.8 GB) is far beyond any chat
/// video and keeps a runaway timeline from exhausting the machine.
pub const MAX_MIX_SECONDS: i64 = 2 * 3600;

/// Mixed audio, interleaved stereo f32 at 48 kHz, within ±1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

/// First frame of something that starts at `at` microseconds: `at * 48000 / 1_000_000`, in integers
/// (rounded towards negative infinity), so a cue lands on the same sample on every run and machine.
pub fn frame_at(at: Micros) -> i64 {
    (i128::from(at) * i128::from(SAMPLE_RATE)).div_euclid(1_000_000) as i64
}

/// Frames in a mix of `duration` microseconds: `round(duration * 48000 / 1e6)`.
pub fn frames_for(duration: Micros) -> usize {
    let d = i128::from(duration.max(0));
    ((d * i128::from(SAMPLE_RATE) + 500_000) / 1_000_000) as usize
}

impl Mix {
    /// Silence of the given length in frames.
    pub fn silent(frames: usize) -> Mix {
        Mix { sample_rate: SAMPLE_RATE, channels: CHANNELS, samples: vec![0.0; frames * 2] }
    }

    pub fn frames(&self) -> usize {
        self.samples.len() / 2
    }

    /// Length in microseconds (rounded down).
    pub fn duration_us(&self) -> Micros {
        self.frames() as Micros * 1_000_000 / Micros::from(SAMPLE_RATE)
    }

    /// Interleaved signed 16-bit little-endian PCM, the raw format ffmpeg reads with `-f s16le`.
    pub fn to_s16le(&self) -> Vec<u8> {
        self.samples.iter().flat_map(|&v| to_i16(v).to_le_bytes()).collect()
    }

    /// Writes a 16-bit stereo WAV file.
    pub fn write_wav(&self, path: &Path) -> Result<(), AudioError> {
        let fail = |e: hound::Error| AudioError::Write { path: path.to_path_buf(), message: e.to_string() };
        let spec = hound::WavSpec {
            channels: self.channels,
            sample_rate: self.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).map_err(fail)?;
        let mut w16 = w.get_i16_writer(self.samples.len() as u32);
        for &v in &self.samples {
            w16.write_sample(to_i16(v));
        }
        w16.flush().map_err(fail)?;
        w.finalize().map_err(fail)
    }

    /// Largest absolute sample value.
    pub fn peak(&self) -> f32 {
        self.peak_in(0..self.frames())
    }

    /// Root mean square over all samples (both channels).
    pub fn rms(&self) -> f32 {
        self.rms_in(0..self.frames())
    }

    /// Peak over a range of frames (clamped to the mix).
    pub fn peak_in(&self, frames: Range<usize>) -> f32 {
        self.slice(frames).iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// RMS over a range of frames (clamped to the mix); 0 for an empty range.
    pub fn rms_in(&self, frames: Range<usize>) -> f32 {
        let s = self.slice(frames);
        if s.is_empty() {
            return 0.0;
        }
        (s.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / s.len() as f64).sqrt() as f32
    }

    fn slice(&self, frames: Range<usize>) -> &[f32] {
        let end = frames.end.min(self.frames());
        let start = frames.start.min(end);
        &self.samples[start * 2..end * 2]
    }
}

fn to_i16(v: f32) -> i16 {
    (v.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

/// Mixes the timeline's sounds and the project's music into one buffer of exactly
/// `frames_for(timeline.duration)` frames. Relative media paths resolve against `base_dir`.
///
/// Each cue starts at frame [`frame_at`]`(cue.at)` and is scaled by its gain; `typing` repeats for
/// the cue's `length`, other sounds are cut (with a 5 ms fade) when a `length` is shorter than
/// they are. A file used by several cues is decoded once. Music follows `project.audio.music`
/// (volume, fades, loop, offset) and ducks under voice notes by `project.audio.ducking`. A
/// look-ahead limiter keeps the result within ±1.0 (-1 dBFS ceiling) without touching quieter mixes.
pub fn mix(project: &Project, timeline: &Timeline, base_dir: &Path) -> Result<Mix, AudioError> {
    mix_with_voice(project, timeline, base_dir, &NoVoice)
}

/// [`mix`] with voice-over: each of `timeline.voice`'s lines plays its clip from `voice` at its
/// exact sample, and the music ducks under it by the larger of `audio.voiceOver.ducking` and
/// `audio.ducking`. `timeline` must come from the same clips ([`crate::WithVoice`]).
pub fn mix_with_voice(
    project: &Project,
    timeline: &Timeline,
    base_dir: &Path,
    voice_clips: &dyn VoiceClips,
) -> Result<Mix, AudioError> {
    if timeline.duration > MAX_MIX_SECONDS * 1_000_000 {
        return Err(AudioError::MixTooLong { seconds: timeline.duration / 1_000_000, limit: MAX_MIX_SECONDS });
    }
    let mut out = Mix::silent(frames_for(timeline.duration));
    let mut files = FileCache::new(base_dir, project);
    let voice_media: HashSet<&str> = project
        .messages
        .iter()
        .filter(|m| m.kind == MessageKind::VoiceNote)
        .filter_map(|m| m.media.as_deref())
        .collect();
    let mut voice: Vec<Range<usize>> = Vec::new();
    for cue in &timeline.cues {
        let (sound, loopable) = match &cue.sound {
            CueSound::Builtin(name) => match builtin_sound(name) {
                Some(s) => (Arc::from(s), loops(name)),
                None => continue, // "none", by definition silent
            },
            CueSound::File(file) => (files.get(file)?, false),
        };
        let start = frame_at(cue.at);
        let len = match cue.length {
            Some(l) => frame_at(l).max(0) as usize,
            None => sound.len() / 2,
        };
        let played = add_sound(&mut out.samples, start, &sound, len, loopable, finite_gain(cue.gain));
        if let CueSound::File(file) = &cue.sound
            && voice_media.contains(file.as_str())
            && !played.is_empty()
        {
            voice.push(played);
        }
    }
    let lines = add_voice(&mut out.samples, timeline, voice_clips);
    let mut ducking = project.audio.ducking;
    if !lines.is_empty() {
        ducking = ducking.max(project.audio.voice_over.ducking);
        voice.extend(lines);
        voice.sort_by_key(|r| r.start);
    }
    if let Some(m) = &project.audio.music {
        music::add_music(&mut out.samples, m, &voice, ducking, base_dir)?;
    }
    limiter::limit(&mut out.samples);
    Ok(out)
}

/// Adds `len` frames of `sound` (repeated if `loopable`, else at most its own length) at frame
/// `start`, clipped to the buffer. Returns the frames of `out` it covered.
fn add_sound(out: &mut [f32], start: i64, sound: &[f32], len: usize, loopable: bool, gain: f32) -> Range<usize> {
    let frames = out.len() / 2;
    let src_frames = sound.len() / 2;
    if src_frames == 0 || len == 0 || gain == 0.0 {
        return 0..0;
    }
    let len = if loopable { len } else { len.min(src_frames) };
    let cut = loopable || len < src_frames; // the sound stops somewhere other than its natural end
    let from = start.max(0) as usize;
    let to = (start + len as i64).clamp(0, frames as i64) as usize;
    for f in from..to {
        let j = (f as i64 - start) as usize; // frame within the played sound
        let k = if loopable { j % src_frames } else { j };
        let mut g = gain;
        if cut && len - j <= DECLICK_FRAMES {
            g *= (len - j) as f32 / DECLICK_FRAMES.min(len) as f32;
        }
        out[f * 2] += sound[k * 2] * g;
        out[f * 2 + 1] += sound[k * 2 + 1] * g;
    }
    from.min(to)..to
}

/// Decoded cue files by project path, so a sound used by many messages is decoded once.
struct FileCache<'a> {
    base_dir: &'a Path,
    project: &'a Project,
    decoded: HashMap<String, Arc<[f32]>>,
    decodes: usize,
}

impl<'a> FileCache<'a> {
    fn new(base_dir: &'a Path, project: &'a Project) -> Self {
        FileCache { base_dir, project, decoded: HashMap::new(), decodes: 0 }
    }

    fn get(&mut self, file: &str) -> Result<Arc<[f32]>, AudioError> {
        if let Some(hit) = self.decoded.get(file) {
            return Ok(hit.clone());
        }
        self.decodes += 1;
        let pcm =
            decode_file(&resolve_media(self.base_dir, file)).map_err(|e| match json_path_of(self.project, file) {
                Some(p) => e.with_json_path(p),
                None => e,
            })?;
        let samples: Arc<[f32]> = pcm.samples.into();
        self.decoded.insert(file.to_string(), samples.clone());
        Ok(samples)
    }
}

/// The JSON path of the first project field that references `file` as a sound or a voice note, for
/// error messages (cues only carry the file name).
fn json_path_of(project: &Project, file: &str) -> Option<String> {
    project.messages.iter().enumerate().find_map(|(i, m)| {
        if m.sound.as_ref().is_some_and(|s| s.src == file) {
            Some(format!("messages[{i}].sound.src"))
        } else if m.kind == MessageKind::VoiceNote && m.media.as_deref() == Some(file) {
            Some(format!("messages[{i}].media"))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_math_is_exact() {
        assert_eq!(frame_at(0), 0);
        assert_eq!(frame_at(1_000_000), 48_000);
        assert_eq!(frame_at(20), 0); // 0.96 of a frame: floor
        assert_eq!(frame_at(21), 1); // 1.008
        assert_eq!(frame_at(-1), -1);
        assert_eq!(frame_at(3_600_000_000 * 2), 345_600_000);
        assert_eq!(frames_for(10), 0); // 0.48 rounds down
        assert_eq!(frames_for(11), 1); // 0.528 rounds up
        assert_eq!(frames_for(1_234_567), 59_259); // 59259.216
        assert_eq!(frames_for(-5), 0);
    }

    #[test]
    fn loops_repeat_and_cuts_fade() {
        let sound: Vec<f32> = (0..1000).flat_map(|i| [i as f32, -(i as f32)]).collect();
        let mut out = vec![0.0; 2 * 5000];
        let covered = add_sound(&mut out, 100, &sound, 2500, true, 1.0);
        assert_eq!(covered, 100..2600);
        assert_eq!(out[2 * 100], 0.0);
        assert_eq!(out[2 * 1100], 0.0); // wrapped to frame 0 of the sound
        assert_eq!(out[2 * 1150], 50.0);
        assert_eq!(out[2 * 1151 + 1], -51.0);
        assert!((out[2 * 2599] - 499.0 / 240.0).abs() < 1e-5); // last frame, faded to 1/240
        assert!(out[2 * 2600..].iter().all(|&v| v == 0.0));

        // A one-shot is never stretched by a long `length`, and is untouched when played whole.
        let mut out = vec![0.0; 2 * 5000];
        assert_eq!(add_sound(&mut out, 10, &sound, 4000, false, 0.5), 10..1010);
        assert_eq!(out[2 * 1009], 999.0 * 0.5);
        // Clipped at both ends of the buffer.
        let mut out = vec![0.0; 2 * 300];
        assert_eq!(add_sound(&mut out, -100, &sound, 1000, false, 1.0), 0..300);
        assert_eq!(out[0], 100.0);
        assert_eq!(add_sound(&mut out, 400, &sound, 1000, false, 1.0), 300..300);
    }

    #[test]
    fn s16le_is_little_endian_and_clamped() {
        let m = Mix { sample_rate: SAMPLE_RATE, channels: 2, samples: vec![1.0, -1.0, 0.5, 2.0] };
        assert_eq!(m.to_s16le(), [0xff, 0x7f, 0x01, 0x80, 0x00, 0x40, 0xff, 0x7f]);
        assert_eq!(m.peak(), 2.0);
        assert!((m.rms_in(1..2) - 2.125f32.sqrt()).abs() < 1e-6);
        assert_eq!(m.rms_in(5..9), 0.0);
    }

    #[test]
    fn a_file_used_by_many_cues_is_decoded_once() {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("boop.wav");
        Mix { sample_rate: SAMPLE_RATE, channels: 2, samples: vec![0.25; 96] }.write_wav(&wav).unwrap();
        let project = chatframe_model::starter_project("t");
        let mut cache = FileCache::new(dir.path(), &project);
        for _ in 0..3 {
            assert_eq!(cache.get("boop.wav").unwrap().len(), 96);
        }
        assert_eq!(cache.decodes, 1);
    }
}
