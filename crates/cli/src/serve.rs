//! `chatframe serve`: the Cloud API service. Its flags and `run` live in `chatframe-server`,
//! shared with the `chatframe-server` binary; this is its door in the `chatframe` binary.

pub use chatframe_server::cli::{ServeArgs, run};
