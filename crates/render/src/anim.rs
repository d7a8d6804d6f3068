//! Motion curves. Durations are in microseconds to match the timeline.

use chatframe_model::{MS, Micros};

/// Bubble entrance (pop/slide) length.
pub const APPEAR: Micros = 380 * MS;
/// How long the list takes to scroll a new bubble into view.
pub const SCROLL: Micros = 300 * MS;
/// Typing indicator grow/shrink.
pub const TYPING_IN: Micros = 220 * MS;
/// Reaction pop.
pub const REACTION: Micros = 350 * MS;
/// One cycle of the typing dots.
pub const DOTS_PERIOD: Micros = 1_200 * MS;

/// Progress of an animation that starts at `start` and lasts `len`, clamped to 0..=1.
pub fn progress(t: Micros, start: Micros, len: Micros) -> f32 {
    if t <= start {
        0.0
    } else if t >= start + len {
        1.0
    } else {
        (t - start) as f32 / len as f32
    }
}

pub fn ease_out_cubic(p: f32) -> f32 {
    1.0 - (1.0 - p).powi(3)
}

/// A damped spring from 0 to 1 with a small overshoot, like the iOS bubble pop.
pub fn spring(p: f32) -> f32 {
    if p >= 1.0 {
        return 1.0;
    }
    let damping = 6.5;
    let freq = 9.0;
    1.0 - (-damping * p).exp() * (freq * p).cos()
}

/// Quantizes a 0..=1 animation value so frames that look the same hash the same.
pub fn q(v: f32) -> u16 {
    (v.clamp(-1.0, 2.0) * 1024.0).round() as i32 as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_start_at_zero_and_settle_at_one() {
        assert_eq!(progress(0, 10, 100), 0.0);
        assert_eq!(progress(200, 10, 100), 1.0);
        assert!((ease_out_cubic(0.0)).abs() < 1e-6 && (ease_out_cubic(1.0) - 1.0).abs() < 1e-6);
        assert!(spring(0.0).abs() < 1e-6 && spring(1.0) == 1.0);
        let peak = (0..100).map(|i| spring(i as f32 / 100.0)).fold(0.0, f32::max);
        assert!(peak > 1.0 && peak < 1.15, "a gentle overshoot, got {peak}");
    }
}
