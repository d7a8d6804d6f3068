//! One cancel flag for every long step between a project and its file: voice-over synthesis,
//! the mix, the export. It lives here, below both `chatframe-voice` and `chatframe-export`, so
//! a caller (a Ctrl-C handler, the studio's cancel button) raises one flag and every step stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cancels from another thread; each step checks it between units of work (frames, lines).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
