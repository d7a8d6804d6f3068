//! Shared state of one running server: config, storage, engines and the in-memory caches.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::ai::AiWriter;
use crate::auth::{AuthCache, RateLimiter};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::jobs::RenderEngine;
use crate::ssrf::Fetcher;
use crate::storage::{ObjectStore, Storage, StorageError};
use crate::tts::TtsEngine;
use crate::voice::VoiceEngine;

pub struct AppState {
    pub config: Config,
    pub store: Arc<dyn Storage>,
    pub objects: Arc<dyn ObjectStore>,
    pub tts: Arc<dyn TtsEngine>,
    pub voices: Arc<dyn VoiceEngine>,
    pub render: Arc<dyn RenderEngine>,
    pub ai: Option<AiWriter>,
    pub auth_cache: AuthCache,
    pub limiter: RateLimiter,
    /// Signs download URLs; persisted in the data directory so links survive a restart.
    pub url_key: Vec<u8>,
    pub fetcher: Fetcher,
    /// Wakes the render workers when a job is queued.
    pub jobs_ready: Notify,
    /// Wakes the webhook sender when a delivery is queued.
    pub deliveries_ready: Notify,
    /// Cancel flags of the jobs being rendered in this process, by job id.
    pub running: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<std::sync::atomic::AtomicBool>>>,
    /// The address actually bound (the configured port may be 0).
    pub bound: std::sync::OnceLock<std::net::SocketAddr>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// Base of the links the server hands out: `public_url`, else the bound address.
    pub fn public_base(&self) -> String {
        match (&self.config.public_url, self.bound.get()) {
            (Some(url), _) => url.trim_end_matches('/').to_string(),
            (None, Some(addr)) => format!("http://{addr}"),
            (None, None) => self.config.public_base(),
        }
    }

    /// Runs a blocking storage call off the async workers (SQLite calls block, and a write may
    /// wait for the write lock).
    pub async fn db<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Storage) -> Result<T, StorageError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref())).await?.map_err(ApiError::from)
    }
}
