//! End-to-end tests of the `chatframe` binary with the real ffmpeg/ffprobe.

mod bad_input;
mod cancel;
mod commands;
mod common;
