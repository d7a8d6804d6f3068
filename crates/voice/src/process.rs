//! Running an engine: found on PATH, started without a shell (text never passes through one),
//! its WAV read from a private temp directory and turned into a 48 kHz mono clip.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::{Clip, VoiceError};

/// Below this (-50 dBFS) a sample counts as silence when trimming the ends of a clip.
const SILENCE: f32 = 0.003_2;
/// Kept before the first sound (2 ms) and after the last (20 ms): enough not to clip a soft
/// consonant, far below a frame, so a line's sound starts with its bubble.
const LEAD_FRAMES: usize = 96;
const TAIL_FRAMES: usize = 960;

/// The first `program` on PATH that is a file.
pub(crate) fn find_on_path(program: &str) -> Option<PathBuf> {
    find_on(&std::env::var_os("PATH")?, program)
}

/// The first `program` in the directories of `path` that is a file.
pub(crate) fn find_on(path: &std::ffi::OsStr, program: &str) -> Option<PathBuf> {
    std::env::split_paths(path).map(|d| d.join(program)).find(|p| p.is_file())
}

/// Runs `cmd`, feeding `stdin` when given; returns stdout, or the engine's own message.
pub(crate) fn run(engine: &str, cmd: &mut Command, stdin: Option<&[u8]>) -> Result<Vec<u8>, VoiceError> {
    use std::io::Write;
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| VoiceError::failed(engine, format!("cannot start it: {e}")))?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A broken pipe here means the engine died; its exit status below says why.
        let _ = pipe.write_all(bytes);
    }
    let out = child.wait_with_output().map_err(|e| VoiceError::failed(engine, e.to_string()))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let msg = if msg.is_empty() { format!("exited with {}", out.status) } else { msg };
        return Err(VoiceError::failed(engine, msg));
    }
    Ok(out.stdout)
}

/// A fresh temp directory for one synthesis (removed when dropped).
pub(crate) fn scratch(engine: &str) -> Result<tempfile::TempDir, VoiceError> {
    tempfile::Builder::new()
        .prefix("chatframe-voice-")
        .tempdir()
        .map_err(|e| VoiceError::failed(engine, format!("cannot create a temp directory: {e}")))
}

/// Reads an engine's WAV (any rate, mono or stereo) as a trimmed 48 kHz mono clip.
pub(crate) fn clip_from_wav(engine: &str, wav: &Path) -> Result<Clip, VoiceError> {
    let pcm = chatframe_audio::decode_file(wav)
        .map_err(|e| VoiceError::failed(engine, format!("unreadable output ({e})")))?;
    let mono: Vec<f32> = pcm.samples.chunks_exact(2).map(|f| 0.5 * (f[0] + f[1])).collect();
    let trimmed = trim(&mono);
    if trimmed.is_empty() {
        return Err(VoiceError::Silent { engine: engine.into() });
    }
    Ok(Clip { samples: Arc::from(trimmed) })
}

/// The clip without the silence engines put around speech.
pub(crate) fn trim(s: &[f32]) -> &[f32] {
    let Some(first) = s.iter().position(|v| v.abs() > SILENCE) else { return &[] };
    let last = s.iter().rposition(|v| v.abs() > SILENCE).unwrap_or(first);
    &s[first.saturating_sub(LEAD_FRAMES)..(last + 1 + TAIL_FRAMES).min(s.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_keeps_a_short_lead_and_tail() {
        let mut s = vec![0.0; 10_000];
        s[5_000] = 0.5;
        s[6_000] = -0.5;
        let t = trim(&s);
        assert_eq!(t.len(), LEAD_FRAMES + 1_001 + TAIL_FRAMES);
        assert_eq!(t[LEAD_FRAMES], 0.5);
        assert!(trim(&[0.001; 100]).is_empty());
        assert_eq!(trim(&[0.9, 0.0]), &[0.9, 0.0]);
    }
}
