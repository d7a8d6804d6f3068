//! Voice-over for Chatframe projects.
//!
//! - [`VoiceEngine`] is the one interface every voice speaks through: [`Espeak`] (espeak-ng,
//!   every language it ships) and [`Flite`] (clearer English voices) run offline as
//!   subprocesses found on PATH; a cloud engine implements the same trait from `crates/cloud`.
//!   [`Engines`] picks the engine by the part of a voice id before the colon (`flite:slt`).
//! - What a message says aloud follows a documented rule ([`spoken_text`], module docs of
//!   `spoken`, docs/FORMAT.md): emoji skipped, links read as their site, repeated punctuation
//!   collapsed; a message's `spokenText` overrides it.
//! - [`ClipCache`] keeps clips on disk by (engine + version, voice, pitch, rate, words), written
//!   atomically; [`generate`] voices a project through it in parallel into a [`VoiceTrack`],
//!   which the timeline and the mix of `chatframe-audio` consume, so preview, playback and
//!   export hear and show the same thing.
//!
//! Volume is not part of synthesis: it is the line's gain in the mix (`Timeline::voice`).

mod cache;
mod engine;
mod error;
mod espeak;
mod flite;
mod generate;
mod lookup;
mod process;
mod spoken;
mod track;

pub use cache::{ClipCache, ClipRequest};
pub use chatframe_audio::CancelToken;
pub use engine::{Clip, Engines, Prosody, VoiceEngine, VoiceInfo};
pub use error::VoiceError;
pub use espeak::Espeak;
pub use flite::Flite;
pub use generate::{GenerateOptions, LineProgress, generate};
pub use lookup::{CachedVoice, from_cache};
pub use spoken::{spoken_text, spoken_text_of};
pub use track::{LineReport, VoiceTrack};
