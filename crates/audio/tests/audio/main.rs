//! Integration tests of chatframe-audio: decoding real files made by the real ffmpeg, the mix, music
//! and the errors users see. One binary (DESIGN.md §9), one module per feature.

mod decode;
mod errors;
mod mix;
mod music;
mod support;
