//! Band-limited resampling of interleaved stereo to 48 kHz.
//!
//! A polyphase windowed-sinc filter (Kaiser window) evaluated at exact rational positions: output
//! frame `k` sits at input position `k * in_rate / 48000`, computed in integers, so lengths and
//! positions are sample-accurate however long the file is. For every common rate (44.1, 32, 22.05,
//! 16, 11.025, 8, 88.2, 96 kHz) the number of distinct phases is small (160 for 44.1 kHz) and the
//! filter table is exact; odd rates fall back to the nearest of 2048 precomputed phases, an error
//! far below 16-bit noise. Written here rather than pulled in because it is ~150 lines and keeps
//! the crate's dependency list to symphonia and hound.

use crate::SAMPLE_RATE;

/// Half the filter length in input samples when upsampling (scaled up when downsampling so the
/// transition band stays as narrow). 24 gives a stopband around -80 dB.
const HALF_TAPS: usize = 24;
/// Passband edge as a fraction of the lower Nyquist frequency; the rest is the transition band.
const CUTOFF: f64 = 0.94;
const KAISER_BETA: f64 = 8.6;
const MAX_PHASES: u64 = 2048;

/// Number of 48 kHz frames that `in_frames` frames at `in_rate` become (rounded to nearest).
pub(crate) fn output_frames(in_frames: usize, in_rate: u32) -> usize {
    let r = u128::from(in_rate.max(1));
    ((in_frames as u128 * u128::from(SAMPLE_RATE) + r / 2) / r) as usize
}

/// Resamples interleaved stereo `input` at `in_rate` to 48 kHz, producing output frames
/// `out_start .. out_start + out_len` (so callers that need a window of a long file, like music
/// with an offset, do not pay for the rest). Positions outside the input read as silence.
pub(crate) fn resample_stereo(input: &[f32], in_rate: u32, out_start: usize, out_len: usize) -> Vec<f32> {
    let in_frames = input.len() / 2;
    if in_rate == SAMPLE_RATE {
        let mut out = vec![0.0; out_len * 2];
        let from = out_start.min(in_frames);
        let to = (out_start + out_len).min(in_frames);
        out[..(to - from) * 2].copy_from_slice(&input[from * 2..to * 2]);
        return out;
    }
    let filter = Filter::new(in_rate);
    let mut out = Vec::with_capacity(out_len * 2);
    let taps = filter.taps;
    let reach = filter.half - 1; // taps cover input i - reach ..= i + half
    for k in out_start..out_start + out_len {
        let (i, coeffs) = filter.at(k as u64);
        let first = i as isize - reach as isize;
        let (mut l, mut r) = (0.0f32, 0.0f32);
        if first >= 0 && first as usize + taps <= in_frames {
            // Fast path: the whole window is inside the input.
            let window = &input[first as usize * 2..(first as usize + taps) * 2];
            for (c, s) in coeffs.iter().zip(window.chunks_exact(2)) {
                l += c * s[0];
                r += c * s[1];
            }
        } else {
            for (t, c) in coeffs.iter().enumerate() {
                let j = first + t as isize;
                if j >= 0 && (j as usize) < in_frames {
                    l += c * input[j as usize * 2];
                    r += c * input[j as usize * 2 + 1];
                }
            }
        }
        out.push(l);
        out.push(r);
    }
    out
}

struct Filter {
    /// Input frames per output frame, as the reduced fraction `step_num / phases_exact`.
    step_num: u64,
    phases_exact: u64,
    /// Number of phases in the table (== `phases_exact` unless that is huge).
    phases: u64,
    half: usize,
    taps: usize,
    table: Vec<f32>,
}

impl Filter {
    fn new(in_rate: u32) -> Filter {
        let g = gcd(u64::from(in_rate), u64::from(SAMPLE_RATE));
        let step_num = u64::from(in_rate) / g;
        let phases_exact = u64::from(SAMPLE_RATE) / g;
        let phases = phases_exact.min(MAX_PHASES);
        // When downsampling the cutoff drops below the input's Nyquist; widen the filter in input
        // samples by the same factor so its sharpness in output terms stays the same.
        let scale = (f64::from(SAMPLE_RATE) / f64::from(in_rate)).min(1.0);
        let fc = CUTOFF * scale;
        let half = (HALF_TAPS as f64 / scale).ceil() as usize;
        let taps = 2 * half;
        let mut table = Vec::with_capacity(phases as usize * taps);
        let i0_beta = bessel_i0(KAISER_BETA);
        for q in 0..phases {
            let frac = q as f64 / phases as f64;
            let start = table.len();
            for t in 0..taps {
                // Tap t multiplies input (i - (half - 1) + t); its distance from the exact position.
                let x = t as f64 - (half as f64 - 1.0) - frac;
                let w = x / half as f64;
                let win = if w.abs() >= 1.0 { 0.0 } else { bessel_i0(KAISER_BETA * (1.0 - w * w).sqrt()) / i0_beta };
                table.push((fc * sinc(fc * x) * win) as f32);
            }
            // Unity gain at DC for every phase, so a constant input stays exactly constant.
            let sum: f32 = table[start..].iter().sum();
            if sum.abs() > f32::EPSILON {
                table[start..].iter_mut().for_each(|c| *c /= sum);
            }
        }
        Filter { step_num, phases_exact, phases, half, taps, table }
    }

    /// Input index at or before output frame `k`, and the coefficients for its fractional part.
    fn at(&self, k: u64) -> (usize, &[f32]) {
        let pos = k as u128 * u128::from(self.step_num);
        let mut i = (pos / u128::from(self.phases_exact)) as usize;
        let rem = (pos % u128::from(self.phases_exact)) as u64;
        let mut q = if self.phases == self.phases_exact {
            rem
        } else {
            (rem * self.phases + self.phases_exact / 2) / self.phases_exact
        };
        if q == self.phases {
            i += 1;
            q = 0;
        }
        let from = q as usize * self.taps;
        (i, &self.table[from..from + self.taps])
    }
}

fn sinc(x: f64) -> f64 {
    if x.abs() < 1e-12 {
        1.0
    } else {
        let px = std::f64::consts::PI * x;
        px.sin() / px
    }
}

/// Modified Bessel function of the first kind, order 0 (power series; converges fast for the
/// small arguments a Kaiser window uses).
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let half = x / 2.0;
    for k in 1..64 {
        term *= (half / k as f64) * (half / k as f64);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f64, frames: usize) -> Vec<f32> {
        (0..frames)
            .flat_map(|n| {
                let v = (2.0 * std::f64::consts::PI * freq * n as f64 / f64::from(rate)).sin() as f32 * 0.5;
                [v, -v]
            })
            .collect()
    }

    /// Worst deviation from the ideal 48 kHz sine, away from the edges.
    fn sine_error(out: &[f32], freq: f64) -> f32 {
        let frames = out.len() / 2;
        (200..frames - 200)
            .map(|n| {
                let want = (2.0 * std::f64::consts::PI * freq * n as f64 / 48_000.0).sin() as f32 * 0.5;
                (out[n * 2] - want).abs().max((out[n * 2 + 1] + want).abs())
            })
            .fold(0.0, f32::max)
    }

    #[test]
    fn lengths_are_rounded_exactly() {
        assert_eq!(output_frames(44_100, 44_100), 48_000);
        assert_eq!(output_frames(1, 44_100), 1);
        assert_eq!(output_frames(441, 44_100), 480);
        assert_eq!(output_frames(22_050 * 60 * 30, 22_050), 48_000 * 60 * 30);
        assert_eq!(output_frames(3, 96_000), 2); // 1.5 rounds up
        assert_eq!(output_frames(1000, 48_000), 1000);
    }

    #[test]
    fn common_rates_reproduce_a_sine() {
        for rate in [8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 88_200, 96_000, 37_913] {
            let frames = rate as usize / 5;
            let input = sine(rate, 1000.0, frames);
            let n = output_frames(frames, rate);
            let out = resample_stereo(&input, rate, 0, n);
            assert_eq!(out.len(), n * 2);
            let err = sine_error(&out, 1000.0);
            assert!(err < 2e-3, "{rate} Hz: max error {err}");
        }
    }

    #[test]
    fn windows_match_the_full_conversion() {
        let input = sine(44_100, 440.0, 44_100);
        let full = resample_stereo(&input, 44_100, 0, 48_000);
        let part = resample_stereo(&input, 44_100, 12_345, 1_000);
        assert_eq!(&full[12_345 * 2..13_345 * 2], &part[..]);
    }

    #[test]
    fn downsampling_removes_what_48k_cannot_hold() {
        // 30 kHz is above the 24 kHz output Nyquist: it must vanish, not alias to 18 kHz.
        let input = sine(96_000, 30_000.0, 96_000 / 5);
        let out = resample_stereo(&input, 96_000, 0, 9_600);
        let peak = out[400..out.len() - 400].iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(peak < 1e-3, "aliased energy {peak}");
    }

    #[test]
    fn dc_stays_exact_and_48k_is_a_copy() {
        let input = vec![0.25f32; 2 * 22_050];
        let out = resample_stereo(&input, 22_050, 0, 48_000);
        assert!(out[200..out.len() - 200].iter().all(|v| (v - 0.25).abs() < 1e-5));
        let same: Vec<f32> = (0..20).map(|v| v as f32).collect();
        assert_eq!(
            resample_stereo(&same, 48_000, 2, 10),
            [4., 5., 6., 7., 8., 9., 10., 11., 12., 13., 14., 15., 16., 17., 18., 19., 0., 0., 0., 0.]
        );
    }
}
