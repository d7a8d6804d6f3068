//! The built-in sound effects, synthesized by `scripts/gen_sounds.py` and embedded so every binary
//! is self-contained (no asset lookup at run time, nothing to go missing in an install).

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::OnceLock;

macro_rules! sound {
    ($name:literal) => {
        ($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/sounds/", $name, ".wav")) as &[u8])
    };
}

/// The embedded WAV files (48 kHz, 16-bit, mono), by built-in name.
const WAVS: [(&str, &[u8]); 6] =
    [sound!("send"), sound!("receive"), sound!("pop"), sound!("typing"), sound!("ding"), sound!("whoosh")];

/// Built-in sounds that repeat seamlessly when a cue asks for a length longer than the sound.
pub(crate) fn loops(name: &str) -> bool {
    name == "typing"
}

/// The original WAV bytes of a built-in sound (for players that want a file, e.g. the studio).
pub fn builtin_wav(name: &str) -> Option<&'static [u8]> {
    WAVS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// A built-in sound as 48 kHz interleaved stereo f32, decoded once per process. `none` and unknown
/// names give `None`.
pub fn builtin_sound(name: &str) -> Option<&'static [f32]> {
    static DECODED: OnceLock<HashMap<&'static str, Vec<f32>>> = OnceLock::new();
    DECODED
        .get_or_init(|| WAVS.iter().map(|(n, bytes)| (*n, decode_embedded(n, bytes))).collect())
        .get(name)
        .map(Vec::as_slice)
}

fn decode_embedded(name: &str, bytes: &[u8]) -> Vec<f32> {
    // These bytes are compiled in and checked by the tests below, so a failure here is a build
    // defect, not bad user input; still, degrade to silence rather than take the process down.
    let Ok(reader) = hound::WavReader::new(Cursor::new(bytes)) else {
        tracing::error!("built-in sound {name} is not a valid WAV");
        return Vec::new();
    };
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let mono: Vec<f32> = reader
        .into_samples::<i16>()
        .map_while(Result::ok)
        .collect::<Vec<_>>()
        .chunks_exact(channels)
        .map(|frame| frame.iter().map(|&s| f32::from(s) / 32768.0).sum::<f32>() / channels as f32)
        .collect();
    mono.iter().flat_map(|&v| [v, v]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_builtin_is_embedded_and_well_formed() {
        for name in chatframe_model::BUILTIN_SOUNDS.iter().filter(|n| **n != "none") {
            let bytes = builtin_wav(name).unwrap_or_else(|| panic!("{name} missing"));
            assert!(bytes.len() < 150 * 1024, "{name} is {} bytes", bytes.len());
            let spec = hound::WavReader::new(Cursor::new(bytes)).unwrap().spec();
            assert_eq!((spec.sample_rate, spec.bits_per_sample), (48_000, 16), "{name}");
            let s = builtin_sound(name).unwrap();
            assert!(s.len() > 2 * 48_000 / 20, "{name} shorter than 50 ms");
            // Peak near -6 dBFS, the level the mixer's gains assume.
            let peak = s.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let db = 20.0 * peak.log10();
            assert!((-6.5..=-5.5).contains(&db), "{name} peaks at {db:.2} dBFS");
        }
        assert!(builtin_sound("none").is_none());
        assert!(builtin_wav("nope").is_none());
    }

    #[test]
    fn one_shots_start_and_end_silent_and_the_typing_loop_is_seamless() {
        for name in ["send", "receive", "pop", "ding", "whoosh"] {
            let s = builtin_sound(name).unwrap();
            let edge = |r: &[f32]| r.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(s[0] == 0.0 && s[s.len() - 1] == 0.0, "{name} does not start and end at zero");
            assert!(edge(&s[s.len() - 96..]) < 0.01, "{name} ends abruptly");
        }
        let t = builtin_sound("typing").unwrap();
        // The jump across the loop point is no larger than a typical step inside the sound.
        let seam = (t[0] - t[t.len() - 2]).abs();
        let typical = t.chunks_exact(2).collect::<Vec<_>>().windows(2).map(|w| (w[1][0] - w[0][0]).abs()).sum::<f32>()
            / (t.len() / 2) as f32;
        assert!(seam <= typical * 4.0 + 1e-4, "seam {seam} vs typical step {typical}");
        assert!(loops("typing") && !loops("send"));
    }
}
