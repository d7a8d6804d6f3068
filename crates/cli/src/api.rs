//! `chatframe api`: the local automation API over the studio library (loopback HTTP, per-launch
//! token). The server lives in `chatframe-api`, shared with the desktop app; this is its door in
//! the `chatframe` binary.

pub use chatframe_api::cli::{ApiArgs, run};
