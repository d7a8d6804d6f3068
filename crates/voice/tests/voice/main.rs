//! Voice-over with the real engines (espeak-ng, flite) and the real ffmpeg: synthesis, the clip
//! cache, parallel generation, sample-accurate mixing and ducking, and exported MP4s whose speech
//! starts with its bubble.

mod cache;
mod engines;
mod export;
mod mix;
mod support;
