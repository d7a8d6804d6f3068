//! Integration tests of the document: parsing real files, every bad input, and timeline
//! snapshots of the samples.

mod bad_input;
mod timeline;
mod voice;

use std::path::PathBuf;

pub fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// The benchmark fixtures (`bench-party`): real projects, but not offered as samples.
pub fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/bench")
}
