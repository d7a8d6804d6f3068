//! `chatframe api` (and the `chatframe-api` binary): serve a library until Ctrl-C.

use std::path::PathBuf;

use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct ApiArgs {
    /// The library file (default: ~/.local/share/chatframe/library.sqlite).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Serve the built studio UI from this folder (e.g. ui/dist) at `/`.
    #[arg(long)]
    pub ui: Option<PathBuf>,
    /// Folder of sample projects (default: $CHATFRAME_SAMPLES, else those built in).
    #[arg(long)]
    pub samples: Option<PathBuf>,
    /// Where exports go when a request names no path (default: ~/Videos/Chatframe).
    #[arg(long)]
    pub export_dir: Option<PathBuf>,
}

/// Prints one JSON line (`{"url", "port", "token"}`) on stdout once listening, so a script can
/// read the address and the per-launch token; the token is also taken from
/// `$CHATFRAME_API_TOKEN` when set (tests that need a known one).
pub fn run(args: ApiArgs) -> anyhow::Result<()> {
    let library = args.library.unwrap_or_else(chatframe_studio::default_library);
    let app =
        chatframe_studio::App::open(&library, args.samples.or_else(chatframe_studio::default_samples), args.export_dir)
            .with_context(|| format!("cannot open the library {}", library.display()))?;
    let token = std::env::var("CHATFRAME_API_TOKEN").ok().filter(|t| !t.is_empty()).unwrap_or_else(crate::new_token);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let server = crate::Server::bind(app, args.port, token, args.ui).await.context("cannot listen on loopback")?;
        let url = format!("http://{}/", server.addr);
        println!("{}", serde_json::json!({ "url": url, "port": server.addr.port(), "token": server.token }));
        eprintln!("chatframe api on {url} (UI: {url}?token={})", server.token);
        server
            .run(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}
