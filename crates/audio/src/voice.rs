//! Voice-over placement. A spoken line's clip (mono, 48 kHz) starts on the exact sample of its
//! line's start, `frame_at(line.at)`, so the voice and the bubble it belongs to agree to the
//! sample in every export; the line's length is the clip's, rounded up to the microsecond, so the
//! timeline never ends a line before its last sample.

use std::ops::Range;

use chatframe_model::{MediaDurations, Micros, Timeline};

use crate::SAMPLE_RATE;
use crate::gain::finite_gain;
use crate::mix::frame_at;

/// Where the mix finds voice-over clips. Implemented by `chatframe-voice` (clips synthesised or
/// read from its cache); any other source of spoken lines (a recorded take, a cloud voice) only
/// has to hand over 48 kHz mono samples.
pub trait VoiceClips: Sync {
    /// Message `index`'s clip as 48 kHz mono samples, when that message is spoken.
    fn clip(&self, index: usize) -> Option<&[f32]>;
}

/// No voice-over.
pub struct NoVoice;

impl VoiceClips for NoVoice {
    fn clip(&self, _: usize) -> Option<&[f32]> {
        None
    }
}

/// Length of a clip of `frames` samples: `ceil(frames * 1e6 / 48000)` microseconds.
pub fn clip_length_us(frames: usize) -> Micros {
    ((frames as u128 * 1_000_000).div_ceil(u128::from(SAMPLE_RATE))) as Micros
}

/// The timeline's view of the media: voice-note lengths from `media`, voice-over clip lengths
/// from `voice`. Build the timeline with this and mix with the same `voice`, and picture and sound
/// agree.
pub struct WithVoice<'a> {
    pub media: &'a dyn MediaDurations,
    pub voice: &'a dyn VoiceClips,
}

impl MediaDurations for WithVoice<'_> {
    fn duration_ms(&self, media: &str) -> Option<u32> {
        self.media.duration_ms(media)
    }

    fn voice_clip_us(&self, index: usize) -> Option<Micros> {
        self.voice.clip(index).filter(|c| !c.is_empty()).map(|c| clip_length_us(c.len()))
    }
}

/// Adds every voice line of `timeline` to `out` (interleaved stereo), centred. Returns the frames
/// each line covers, for ducking the music under them.
pub(crate) fn add_voice(out: &mut [f32], timeline: &Timeline, voice: &dyn VoiceClips) -> Vec<Range<usize>> {
    let frames = out.len() / 2;
    let mut covered = Vec::new();
    for line in &timeline.voice {
        let Some(clip) = voice.clip(line.index) else { continue };
        let gain = finite_gain(line.gain);
        let start = frame_at(line.at);
        let from = start.clamp(0, frames as i64) as usize;
        let to = (start + clip.len() as i64).clamp(0, frames as i64) as usize;
        if gain == 0.0 || from >= to {
            continue;
        }
        for f in from..to {
            let v = clip[(f as i64 - start) as usize] * gain;
            out[f * 2] += v;
            out[f * 2 + 1] += v;
        }
        covered.push(from..to);
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatframe_model::VoiceLine;

    struct One(Vec<f32>);
    impl VoiceClips for One {
        fn clip(&self, i: usize) -> Option<&[f32]> {
            (i == 0).then_some(self.0.as_slice())
        }
    }

    #[test]
    fn clip_lengths_round_up_to_the_microsecond() {
        assert_eq!(clip_length_us(0), 0);
        assert_eq!(clip_length_us(48_000), 1_000_000);
        assert_eq!(clip_length_us(1), 21); // 20.83 µs
        // The last sample lands inside the line: frame_at(length) covers every frame.
        for n in [1, 7, 47_999, 123_457] {
            assert!(frame_at(clip_length_us(n)) >= n as i64);
        }
    }

    #[test]
    fn a_line_starts_on_its_exact_sample_and_is_clipped_to_the_mix() {
        let tl = |at| Timeline {
            entries: vec![],
            cues: vec![],
            voice: vec![VoiceLine { index: 0, at, length: clip_length_us(3), gain: 0.5 }],
            duration: 1_000_000,
            fps: 30,
        };
        let clips = One(vec![1.0, 0.5, 0.25]);
        let mut out = vec![0.0; 2 * 100];
        assert_eq!(add_voice(&mut out, &tl(1_000), &clips), vec![48..51]);
        assert_eq!(&out[96..102], &[0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
        assert!(out[..96].iter().chain(&out[102..]).all(|&v| v == 0.0));
        let mut out = vec![0.0; 2 * 49];
        assert_eq!(add_voice(&mut out, &tl(1_000), &clips), vec![48..49]);
        assert_eq!(add_voice(&mut out, &tl(-21), &clips), vec![0..1]); // starts 2 frames early
    }
}
