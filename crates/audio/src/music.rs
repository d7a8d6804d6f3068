//! Background music: volume, fades, loop, offset into the file, and ducking under voice.

use std::ops::Range;
use std::path::Path;

use chatframe_model::{Music, resolve_media};

use crate::decode::decode_source;
use crate::gain::{DECLICK_FRAMES, finite_gain};
use crate::{AudioError, FileProblem, SAMPLE_RATE};

/// Ducking starts this long before a voice clip so the music is already down when the first word
/// lands (the mix is offline, so it can look ahead), ...
pub const DUCK_ATTACK_MS: u32 = 80;
/// ... and comes back up over this long after it, slow enough not to "pump".
pub const DUCK_RELEASE_MS: u32 = 300;

fn ms_frames(ms: u32) -> usize {
    (u64::from(ms) * u64::from(SAMPLE_RATE) / 1000) as usize
}

/// Adds the music to `out` (interleaved stereo, the whole video). The track starts at the video's
/// start, `offset_ms` into the file; when `looped` it restarts at that offset each time it ends
/// (so a skipped intro stays skipped), otherwise it plays once. Fade-in runs from the video's
/// start, fade-out ends at the video's end. Under each `voice` range the music drops by
/// `ducking` (0 = not at all, 1 = silent).
pub(crate) fn add_music(
    out: &mut [f32],
    music: &Music,
    voice: &[Range<usize>],
    ducking: f32,
    base_dir: &Path,
) -> Result<(), AudioError> {
    let frames = out.len() / 2;
    let path = resolve_media(base_dir, &music.src);
    let offset = ms_frames(music.offset_ms);
    // Music that plays once needs only the part up to the video's end.
    let need_us = ((offset + frames) as u64 * 1_000_000).div_ceil(u64::from(SAMPLE_RATE));
    let src =
        decode_source(&path, (!music.looped).then_some(need_us)).map_err(|e| e.with_json_path("audio.music.src"))?;
    let total = src.out_frames();
    if offset >= total {
        let problem =
            FileProblem::OffsetPastEnd { offset_ms: music.offset_ms, length_ms: total as u64 * 1000 / 48_000 };
        return Err(AudioError::File { path, json_path: Some("audio.music.offsetMs".into()), problem });
    }
    // The segment that plays (and repeats): from the offset to the end of the file. Only as much as
    // the video can hold is resampled.
    let seg_len = total - offset;
    let seg = src.window_48k(offset, seg_len.min(frames));
    drop(src);

    let volume = finite_gain(music.volume);
    if volume == 0.0 || frames == 0 {
        return Ok(());
    }
    let duck = duck_envelope(frames, voice, ducking);
    let fade_in = ms_frames(music.fade_in_ms);
    let fade_out = ms_frames(music.fade_out_ms);
    let declick = DECLICK_FRAMES.min(seg_len / 2).max(1);
    for p in 0..frames {
        let (k, rep) = if music.looped { (p % seg_len, p / seg_len) } else { (p, 0) };
        if !music.looped && p >= seg_len {
            break; // played once, ended before the video
        }
        let mut g = volume;
        if p < fade_in {
            g *= ease(p as f32 / fade_in as f32);
        }
        if frames - 1 - p < fade_out {
            g *= ease((frames - 1 - p) as f32 / fade_out as f32);
        }
        // Declick the seams: where the track starts mid-waveform (an offset, or a loop restarting)
        // and where it stops before the video does.
        if k < declick && (rep > 0 || offset > 0) {
            g *= k as f32 / declick as f32;
        }
        if seg_len - k <= declick && p - k + seg_len <= frames {
            g *= (seg_len - k - 1) as f32 / declick as f32;
        }
        if let Some(d) = &duck {
            g *= d[p];
        }
        out[p * 2] += seg[k * 2] * g;
        out[p * 2 + 1] += seg[k * 2 + 1] * g;
    }
    Ok(())
}

/// Equal-power ease (quarter sine) for fades: sounds even, where a linear fade seems to hang and
/// then drop.
fn ease(x: f32) -> f32 {
    (x.clamp(0.0, 1.0) * std::f32::consts::FRAC_PI_2).sin()
}

/// Smooth 0 -> 1 ramp without corners, so duck ramps do not click.
fn smoothstep(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// Per-frame music gain under ducking: 1 where no voice plays, `1 - ducking` under voice, with
/// smooth ramps of [`DUCK_ATTACK_MS`] before and [`DUCK_RELEASE_MS`] after each clip. `None` when
/// nothing ducks.
pub(crate) fn duck_envelope(frames: usize, voice: &[Range<usize>], ducking: f32) -> Option<Vec<f32>> {
    let depth = if ducking.is_finite() { ducking.clamp(0.0, 1.0) } else { 0.0 };
    if depth == 0.0 || voice.is_empty() {
        return None;
    }
    let attack = ms_frames(DUCK_ATTACK_MS);
    let release = ms_frames(DUCK_RELEASE_MS);
    // How much ducking applies at each frame (0..1); overlapping clips take the maximum.
    let mut amount = vec![0.0f32; frames];
    for r in voice {
        let lo = r.start.saturating_sub(attack);
        let hi = (r.end + release).min(frames);
        for (p, a) in amount.iter_mut().enumerate().take(hi).skip(lo) {
            let v = if p < r.start {
                smoothstep((p + attack - r.start) as f32 / attack as f32)
            } else if p < r.end {
                1.0
            } else {
                1.0 - smoothstep((p - r.end) as f32 / release as f32)
            };
            *a = a.max(v);
        }
    }
    Some(amount.into_iter().map(|a| 1.0 - depth * a).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(r: Range<usize>) -> Vec<Range<usize>> {
        vec![r]
    }

    #[test]
    fn ducking_ramps_before_and_after_voice() {
        let d = duck_envelope(48_000, &one(10_000..20_000), 0.75).unwrap();
        assert_eq!(d[0], 1.0);
        assert_eq!(d[10_000 - ms_frames(DUCK_ATTACK_MS)], 1.0);
        assert!(d[10_000 - ms_frames(DUCK_ATTACK_MS) / 2] < 1.0 && d[10_000 - ms_frames(DUCK_ATTACK_MS) / 2] > 0.25);
        assert_eq!(d[10_000], 0.25);
        assert_eq!(d[19_999], 0.25);
        assert!(d[20_000 + 100] > 0.25 && d[20_000 + 100] < 1.0);
        assert_eq!(d[20_000 + ms_frames(DUCK_RELEASE_MS)], 1.0);
        // Monotonic ramps: no wobble that would be heard as tremolo.
        assert!(d[9_000..10_000].windows(2).all(|w| w[1] <= w[0]));
        assert!(d[20_000..35_000].windows(2).all(|w| w[1] >= w[0]));
    }

    #[test]
    fn no_ducking_without_voice_or_depth() {
        assert!(duck_envelope(100, &[], 1.0).is_none());
        assert!(duck_envelope(100, &one(0..10), 0.0).is_none());
        assert!(duck_envelope(100, &one(0..10), f32::NAN).is_none());
        assert_eq!(duck_envelope(100, &one(0..10), 7.0).unwrap()[5], 0.0); // clamped to full duck
    }

    #[test]
    fn fades_are_smooth_and_reach_their_ends() {
        assert_eq!(ease(0.0), 0.0);
        assert_eq!(ease(1.0), 1.0);
        assert!((ease(0.5) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert_eq!(smoothstep(0.5), 0.5);
    }
}
