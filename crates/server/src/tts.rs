//! Text-to-speech behind [`TtsEngine`]. The embedded default speaks with espeak-ng (formant
//! synthesis: intelligible and robotic, not a neural voice) and encodes MP3 with the system
//! ffmpeg (libmp3lame). A hosted provider implements the same trait.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use crate::storage::Voice;

#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    #[error("{program} is not installed or not on PATH (install espeak-ng and ffmpeg): {source}")]
    Missing {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{program} failed: {message}")]
    Failed { program: String, message: String },
}

pub trait TtsEngine: Send + Sync {
    fn name(&self) -> &str;
    /// MP3 bytes of `text` spoken with `voice`. Blocking.
    fn synthesize(&self, voice: &Voice, text: &str) -> Result<Vec<u8>, TtsError>;
}

pub struct EspeakEngine {
    pub espeak: String,
    pub ffmpeg: String,
}

impl TtsEngine for EspeakEngine {
    fn name(&self) -> &str {
        "espeak-ng"
    }

    fn synthesize(&self, voice: &Voice, text: &str) -> Result<Vec<u8>, TtsError> {
        let missing = |program: &str| {
            let program = program.to_string();
            move |source| TtsError::Missing { program, source }
        };
        // Text goes through stdin, never argv, so it cannot be read as an option.
        let mut espeak = Command::new(&self.espeak)
            .args(["--stdin", "--stdout", "-v", &voice.engine_voice])
            .args(["-s", &voice.rate.to_string(), "-p", &voice.pitch.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(missing(&self.espeak))?;
        let wav_out = espeak.stdout.take().expect("piped stdout");
        let mut ffmpeg = match Command::new(&self.ffmpeg)
            .args(["-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0"])
            .args(["-codec:a", "libmp3lame", "-b:a", "64k", "-ar", "22050", "-ac", "1", "-f", "mp3", "pipe:1"])
            .stdin(Stdio::from(wav_out))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                let _ = espeak.kill();
                let _ = espeak.wait();
                return Err(missing(&self.ffmpeg)(e));
            }
        };
        let mut stdin = espeak.stdin.take().expect("piped stdin");
        let text = format!("{text}\n");
        let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
        let mut mp3 = Vec::new();
        let mut ff_err = String::new();
        let mut ff_stderr = ffmpeg.stderr.take().expect("piped stderr");
        let err_reader = std::thread::spawn(move || {
            let _ = ff_stderr.read_to_string(&mut ff_err);
            ff_err
        });
        ffmpeg
            .stdout
            .take()
            .expect("piped stdout")
            .read_to_end(&mut mp3)
            .map_err(|e| TtsError::Failed { program: self.ffmpeg.clone(), message: e.to_string() })?;
        let _ = writer.join();
        let es = espeak.wait_with_output().map_err(missing(&self.espeak))?;
        let fs = ffmpeg.wait().map_err(missing(&self.ffmpeg))?;
        let ff_err = err_reader.join().unwrap_or_default();
        if !es.status.success() {
            return Err(TtsError::Failed {
                program: self.espeak.clone(),
                message: String::from_utf8_lossy(&es.stderr).trim().to_string(),
            });
        }
        if !fs.success() || mp3.is_empty() {
            return Err(TtsError::Failed { program: self.ffmpeg.clone(), message: ff_err.trim().to_string() });
        }
        Ok(mp3)
    }
}

/// Credits for `chars` characters at `per_100` credits per started 100 characters (minimum 1).
pub fn tts_price(chars: usize, per_100: i64) -> i64 {
    (chars.div_ceil(100).max(1) as i64) * per_100
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every preset and every cloning language names a voice espeak-ng has.
    #[test]
    fn every_voice_name_exists_in_espeak() {
        let engine = EspeakEngine { espeak: "espeak-ng".into(), ffmpeg: "ffmpeg".into() };
        let mut names: Vec<String> = crate::storage::PRESET_VOICES.iter().map(|p| p.3.to_string()).collect();
        names.extend(crate::voice::LANGUAGES.iter().map(|l| crate::voice::espeak_voice(l, "m3")));
        for name in names {
            let voice = Voice {
                id: "v".into(),
                account_id: None,
                name: "t".into(),
                language: "en".into(),
                engine_voice: name.clone(),
                pitch: 50,
                rate: 170,
                analysis: serde_json::Value::Null,
                created_at: 0,
            };
            let mp3 = engine.synthesize(&voice, "hi").unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(mp3.len() > 100, "{name}");
        }
    }

    #[test]
    fn price_rounds_up_per_started_hundred() {
        assert_eq!(tts_price(1, 1), 1);
        assert_eq!(tts_price(100, 1), 1);
        assert_eq!(tts_price(101, 1), 2);
        assert_eq!(tts_price(5000, 2), 100);
    }
}
