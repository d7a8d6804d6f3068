//! The Chatframe Cloud API service (`chatframe serve`): accounts and credits, conversation sync,
//! voices and speech, the AI writer, exports and template renders, webhooks and search, over
//! axum with embedded defaults (SQLite, local disk, espeak-ng). DESIGN.md §7 is the contract;
//! `docs/CLOUD_API.md` describes it for users.

pub mod ai;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod jobs;
pub mod openapi;
mod render_export;
pub mod routes;
pub mod ssrf;
pub mod state;
pub mod storage;
pub mod tts;
pub mod voice;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use config::Config;
pub use state::{AppState, Shared};

use crate::jobs::RenderEngine;
use crate::storage::{LocalObjects, SqliteStore, Storage};
use crate::tts::TtsEngine;
use crate::voice::VoiceEngine;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("storage: {0}")]
    Storage(#[from] storage::StorageError),
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// The engines behind the API; [`Engines::default_for`] gives the embedded defaults.
pub struct Engines {
    pub tts: Arc<dyn TtsEngine>,
    pub voices: Arc<dyn VoiceEngine>,
    pub render: Arc<dyn RenderEngine>,
}

impl Engines {
    pub fn default_for(config: &Config) -> Engines {
        Engines {
            tts: Arc::new(tts::EspeakEngine {
                espeak: config.tts.espeak_bin.clone(),
                ffmpeg: config.tts.ffmpeg_bin.clone(),
            }),
            voices: Arc::new(voice::PitchRateFitter),
            render: default_render_engine(),
        }
    }
}

fn default_render_engine() -> Arc<dyn RenderEngine> {
    Arc::new(render_export::ExportEngine)
}

fn open_store(config: &Config) -> Result<SqliteStore, ServerError> {
    let dir = &config.data_dir;
    std::fs::create_dir_all(dir).map_err(|source| ServerError::Io {
        what: "cannot create data directory",
        path: dir.clone(),
        source,
    })?;
    Ok(SqliteStore::open(&dir.join("chatframe.sqlite"))?)
}

/// The URL-signing key, created on first start and kept so download links survive restarts.
fn url_key(dir: &Path) -> Result<Vec<u8>, ServerError> {
    let path = dir.join("url-signing.key");
    match std::fs::read(&path) {
        Ok(k) if k.len() >= 32 => Ok(k),
        _ => {
            let key: [u8; 32] = rand::random();
            std::fs::write(&path, key).map_err(|source| ServerError::Io {
                what: "cannot write",
                path: path.clone(),
                source,
            })?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
            }
            Ok(key.to_vec())
        }
    }
}

/// Opens storage and builds the shared state (no listening yet).
pub fn build_state(config: Config, engines: Engines) -> Result<Shared, ServerError> {
    let store: Arc<dyn Storage> = Arc::new(open_store(&config)?);
    let objects_dir = config.data_dir.join("objects");
    let objects = LocalObjects::new(objects_dir.clone()).map_err(|source| ServerError::Io {
        what: "cannot create",
        path: objects_dir,
        source,
    })?;
    let url_key = url_key(&config.data_dir)?;
    if config.webhooks.dev_allow_private_targets {
        tracing::warn!(
            "webhooks.dev_allow_private_targets is on: callbacks may reach private networks (test/dev only)"
        );
    }
    Ok(Arc::new(AppState {
        fetcher: ssrf::Fetcher::new(
            config.webhooks.dev_allow_private_targets,
            Duration::from_secs(config.webhooks.timeout_secs.max(1)),
        )
        .with_allowed_hosts(config.webhooks.allowed_hosts.clone()),
        ai: ai::AiWriter::from_config(&config.ai),
        config,
        store,
        objects: Arc::new(objects),
        tts: engines.tts,
        voices: engines.voices,
        render: engines.render,
        auth_cache: Default::default(),
        limiter: Default::default(),
        url_key,
        jobs_ready: Default::default(),
        deliveries_ready: Default::default(),
        bound: Default::default(),
        running: Default::default(),
    }))
}

/// How long [`RunningServer::stop`] waits for open connections: long enough for any request
/// this API serves (uploads stream in well under it), short of a supervisor's kill timeout.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A server listening on a socket, with its workers running.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and lets requests in flight finish, for at most
    /// [`SHUTDOWN_GRACE`]: a client holding an idle connection open must not keep a stopping
    /// server (a deploy, a SIGTERM from the supervisor) alive indefinitely.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task).await.is_err() {
            tracing::warn!(
                grace_s = SHUTDOWN_GRACE.as_secs(),
                "connections still open after the grace period: closing them"
            );
            self.task.abort();
        }
    }
}

/// Binds `state.config.listen` (port 0 picks a free one), starts the job and webhook workers
/// and serves until [`RunningServer::stop`].
pub async fn start(state: Shared) -> Result<RunningServer, ServerError> {
    let addr = state.config.listen;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind { addr, source })?;
    let _ = state.bound.set(addr);
    let requeued = state.db(|s| s.requeue_interrupted()).await.map_err(|e| ServerError::Invalid(e.message))?;
    if requeued > 0 {
        tracing::info!(requeued, "jobs interrupted by the last shutdown were queued again");
    }
    jobs::spawn_workers(&state, state.config.jobs.workers);
    tokio::spawn(webhooks::delivery_worker(state.clone()));
    let (app, _) = routes::build(state.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(e) = served.await {
            tracing::error!(error = %e, "server stopped with an error");
        }
    });
    Ok(RunningServer { addr, state, shutdown: Some(tx), task })
}

/// `chatframe serve`: runs until Ctrl-C / SIGTERM.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let engines = Engines::default_for(&config);
    let state = build_state(config, engines)?;
    let server = start(state.clone()).await?;
    tracing::info!(
        url = %server.url(),
        data_dir = %state.config.data_dir.display(),
        render = state.render.name(),
        ai = state.ai.is_some(),
        "Chatframe Cloud API listening"
    );
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.stop().await;
    Ok(())
}

/// [`serve`] on a runtime of its own, for callers that are not async (the CLI).
pub fn serve_blocking(config: Config) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|source| ServerError::Io {
        what: "cannot start the runtime for",
        path: config.data_dir.clone(),
        source,
    })?;
    rt.block_on(serve(config))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// A new account and its first API key (the only time the key is visible).
#[derive(Debug, Clone)]
pub struct CreatedAccount {
    pub account_id: String,
    pub api_key: String,
    pub credits: i64,
}

/// `chatframe serve admin create-account`: works on the data directory directly, so it needs no
/// running server (and is safe alongside one: SQLite serializes the writes).
pub fn admin_create_account(
    config: &Config,
    name: &str,
    credits: i64,
    rate_per_minute: Option<u32>,
) -> Result<CreatedAccount, ServerError> {
    if credits < 0 {
        return Err(ServerError::Invalid("credits must be 0 or more".into()));
    }
    use storage::AccountStore;
    let store = open_store(config)?;
    let key = auth::generate_key();
    let (account, _) = store.create_account(name, credits, rate_per_minute, &key.hash, &key.prefix)?;
    Ok(CreatedAccount { account_id: account.id, api_key: key.secret, credits: account.balance })
}

/// `chatframe serve admin add-credits`: records a purchase; returns the new balance.
pub fn admin_add_credits(config: &Config, account_id: &str, credits: i64, note: &str) -> Result<i64, ServerError> {
    if credits <= 0 {
        return Err(ServerError::Invalid("credits must be positive".into()));
    }
    use storage::LedgerStore;
    let store = open_store(config)?;
    Ok(store.purchase(account_id, credits, note)?.balance_after)
}

/// The OpenAPI document, as served at `/v1/openapi.json` (written to `docs/openapi.json`).
pub fn openapi_json() -> Result<String, ServerError> {
    let dir = std::env::temp_dir().join(storage::new_id("chatframe-openapi"));
    let config = Config { data_dir: dir.clone(), ..Config::default() };
    let engines = Engines::default_for(&config);
    let state = build_state(config, engines)?;
    let (_, api) = routes::build(state);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(serde_json::to_string_pretty(&api).expect("OpenAPI serializes") + "\n")
}
