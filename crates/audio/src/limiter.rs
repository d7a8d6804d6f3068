//! The last stage of the mix: a look-ahead peak limiter so that stacked sounds and music never
//! clip, and are never left to the encoder to clip.

use crate::SAMPLE_RATE;

/// Output ceiling: -1 dBFS, the usual headroom for lossy encoders (AAC/Opus overshoot a little).
pub const CEILING: f32 = 0.891_250_9;
/// Gain reaches its target over this many frames before a peak (2 ms: fast but not a click) ...
const ATTACK_FRAMES: usize = (SAMPLE_RATE / 500) as usize;
/// ... and recovers over this long (150 ms from full reduction), slow enough not to distort bass.
const RELEASE_FRAMES: usize = (SAMPLE_RATE as usize * 15) / 100;

/// Limits interleaved stereo in place. Frames whose neighbourhood never exceeds [`CEILING`] are left
/// bit-exact, so quiet mixes are untouched; louder passages get a smooth gain reduction, linked
/// across channels so the stereo image does not shift. The gain curve is computed in two passes
/// (backwards for the look-ahead attack, forwards for the release), each bounded by the gain a
/// frame needs, so the output can never exceed the ceiling.
pub(crate) fn limit(samples: &mut [f32]) {
    // Inputs are sanitised upstream; this keeps a NaN from ever reaching the encoder regardless.
    samples.iter_mut().filter(|v| !v.is_finite()).for_each(|v| *v = 0.0);
    let frames = samples.len() / 2;
    let need = |f: usize| {
        let p = samples[f * 2].abs().max(samples[f * 2 + 1].abs());
        if p > CEILING { CEILING / p } else { 1.0 }
    };
    if (0..frames).all(|f| need(f) == 1.0) {
        return;
    }
    let attack_step = 1.0 / ATTACK_FRAMES as f32;
    let release_step = 1.0 / RELEASE_FRAMES as f32;
    let mut gain = vec![1.0f32; frames];
    let mut next = 1.0f32;
    for f in (0..frames).rev() {
        next = need(f).min(next + attack_step);
        gain[f] = next;
    }
    let mut prev = 1.0f32;
    for (f, g) in gain.iter_mut().enumerate() {
        prev = g.min(prev + release_step);
        samples[f * 2] *= prev;
        samples[f * 2 + 1] *= prev;
    }
    // Float rounding in `CEILING / p * p` can land a hair above the ceiling.
    samples.iter_mut().for_each(|v| *v = v.clamp(-CEILING, CEILING));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_audio_is_untouched() {
        let mut s: Vec<f32> = (0..4800).map(|i| (i as f32 * 0.01).sin() * 0.8).collect();
        let before = s.clone();
        limit(&mut s);
        assert_eq!(s, before);
    }

    #[test]
    fn loud_audio_stays_under_the_ceiling_smoothly() {
        // A 3x overload in the middle of a quiet tone.
        let input: Vec<f32> = (0..48_000)
            .flat_map(|i| {
                let v = (i as f32 * 0.05).sin() * if (20_000..24_000).contains(&i) { 3.0 } else { 0.5 };
                [v, -v]
            })
            .collect();
        let mut s = input.clone();
        limit(&mut s);
        let peak = s.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(peak <= CEILING, "peak {peak}");
        assert!(peak > CEILING * 0.95, "overly reduced: {peak}");
        // Far from the overload the tone is as it was.
        assert_eq!(s[2 * 1000], (1000.0f32 * 0.05).sin() * 0.5);
        assert_eq!(s[2 * 47_000], (47_000.0f32 * 0.05).sin() * 0.5);
        // The gain moves gradually (at most one attack step per frame) and is linked across channels.
        let gains: Vec<(usize, f32)> =
            (0..48_000).filter(|&f| input[f * 2].abs() > 0.05).map(|f| (f, s[f * 2] / input[f * 2])).collect();
        for w in gains.windows(2) {
            let ((f0, g0), (f1, g1)) = (w[0], w[1]);
            assert!((g1 - g0).abs() <= (f1 - f0) as f32 / ATTACK_FRAMES as f32 + 1e-4, "jump at {f1}: {g0} -> {g1}");
        }
        assert!(gains.iter().all(|&(f, g)| (s[f * 2 + 1] / input[f * 2 + 1] - g).abs() < 1e-5));
    }

    #[test]
    fn garbage_is_clamped() {
        let mut s = vec![f32::INFINITY, -1e9, 0.0, 0.0];
        limit(&mut s);
        assert!(s.iter().all(|v| v.abs() <= CEILING));
    }
}
