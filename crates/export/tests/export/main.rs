//! End-to-end export tests with the real ffmpeg/ffprobe. Small canvases and short projects keep
//! them fast in debug builds on the 2-core CI machine.

mod common;
mod failures;
mod formats;
mod psnr;
