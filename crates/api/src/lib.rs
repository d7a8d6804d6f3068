//! The local automation API: `chatframe-studio` over HTTP on loopback with a per-launch token,
//! and the state ([`App`]) the Tauri shell shares. See README.md.

mod app;
pub mod bindings;
pub mod cli;
mod http;
mod samples;

pub use app::{ApiError, ApiResult, App, Catalog, Sample, encode_frame, project_file_name};
pub use chatframe_studio::{ExportJob, ExportRequest, ExportState};
pub use http::router;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// A random token for one launch: 128 bits, hex.
pub fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Where the studio keeps its library unless told otherwise: `$XDG_DATA_HOME/chatframe` (or
/// `~/.local/share/chatframe`), shared by the desktop app and `chatframe api`.
pub fn default_library() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")));
    base.unwrap_or_else(std::env::temp_dir).join("chatframe").join("library.sqlite")
}

/// A samples folder to use instead of the embedded samples: `$CHATFRAME_SAMPLES` (development,
/// benchmarks). `None` gives [`App::open`] the samples compiled into the binary.
pub fn default_samples() -> Option<PathBuf> {
    std::env::var_os("CHATFRAME_SAMPLES").map(PathBuf::from)
}

/// A server bound to `127.0.0.1` (never another interface: the API drives the user's files).
pub struct Server {
    pub addr: SocketAddr,
    pub token: String,
    listener: tokio::net::TcpListener,
    router: axum::Router,
}

impl Server {
    /// Binds `127.0.0.1:port` (`0` picks a free port).
    pub async fn bind(app: Arc<App>, port: u16, token: String, ui: Option<PathBuf>) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
        let addr = listener.local_addr()?;
        let router = router(app, &token, ui);
        Ok(Server { addr, token, listener, router })
    }

    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await
    }
}
