//! The local automation API: the studio's [`App`] over HTTP on loopback with a per-launch token
//! (the desktop app serves preview frames through it too). See README.md.

pub mod bindings;
pub mod cli;
mod error;
mod http;

pub use error::{ApiError, ApiResult};
pub use http::router;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chatframe_studio::App;

/// A random token for one launch: 128 bits, hex.
pub fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
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
