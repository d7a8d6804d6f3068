//! Chatframe audio: decodes media (symphonia), mixes a project's timeline — send/receive and
//! per-message sounds, voice notes, background music with fades, loop, offset and ducking — into one
//! sample-accurate 48 kHz stereo buffer for export and preview, and carries the built-in sounds.
//! Everything is offline and deterministic: the same project gives the same samples every run.

mod builtin;
mod cancel;
mod decode;
mod error;
mod gain;
mod limiter;
mod mix;
mod music;
mod resample;
mod voice;

pub use builtin::{builtin_sound, builtin_wav};
pub use cancel::CancelToken;
pub use decode::{MAX_DECODE_SECONDS, MAX_FILE_BYTES, MediaLengths, Pcm, decode_file, media_duration_ms};
pub use error::{AudioError, FileProblem};
pub use limiter::CEILING;
pub use mix::{MAX_MIX_SECONDS, Mix, frame_at, frames_for, mix, mix_with_voice};
pub use music::{DUCK_ATTACK_MS, DUCK_RELEASE_MS};
pub use voice::{NoVoice, VoiceClips, WithVoice, clip_length_us};

/// The mix's sample rate: the native rate of AAC/Opus in video, so export never resamples.
pub const SAMPLE_RATE: u32 = 48_000;
/// The mix is always stereo.
pub const CHANNELS: u16 = 2;
