//! Gain rules shared by the cue mix (`mix.rs`) and the music track (`music.rs`).

/// Fade applied where a sound is cut short (a typing loop ending, a clip reaching its `length`):
/// 5 ms is inaudible as a fade but removes the click of a hard cut.
pub(crate) const DECLICK_FRAMES: usize = 240;

/// Gains come from user-edited JSON: a NaN or negative value must not poison the whole mix.
pub(crate) fn finite_gain(g: f32) -> f32 {
    if g.is_finite() { g.max(0.0) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gains_from_json_are_sanitised() {
        assert_eq!(finite_gain(f32::NAN), 0.0);
        assert_eq!(finite_gain(-2.0), 0.0);
        assert_eq!(finite_gain(f32::INFINITY), 0.0);
        assert_eq!(finite_gain(0.7), 0.7);
    }
}
