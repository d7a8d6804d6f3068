//! Frames + mixed audio -> files. The renderer's frames are converted to the encoder's pixel
//! format here (yuv420p for MP4/WebM, straight RGBA for alpha and GIF), queued through a
//! bounded channel to a writer thread and piped into the system `ffmpeg`; the mixed soundtrack
//! goes in as a second input. PNG sequences, WAV and SRT are written directly. Every output is
//! atomic: a temp file beside the target, fsynced, then renamed.
//!
//! Depends on `chatframe-model`, `chatframe-render` and `chatframe-audio` only; no GUI, web or
//! database code.

mod captions;
mod error;
mod ffmpeg;
mod format;
mod output;
mod pipeline;
mod prepare;
mod srt;
pub mod yuv;

pub use captions::{Cue, caption_cues, to_srt, to_vtt};
pub use error::ExportError;
pub use ffmpeg::{EncodeSpec, Encoder, FFMPEG_ENV, Ffmpeg, Frame, MIN_FFMPEG_MAJOR};
pub use format::{Format, Preset};
pub use output::{AtomicFile, Pcm};
pub use pipeline::{
    CancelToken, ExportOptions, ExportSummary, Progress, encode_frames, export, prerender, temp_wav, to_wire, wire_len,
};
pub use prepare::{prepare, prepare_with_voice, timeline, timeline_with_voice};
pub use srt::srt;
