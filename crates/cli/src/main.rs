//! `chatframe`: render chat videos, single frames, validate and create project files; with the
//! `serve` and `api` features, also the Cloud API and the local automation API.

#[cfg(feature = "api")]
mod api;
mod bench;
mod exit;
mod frame;
mod project;
mod render;
#[cfg(feature = "serve")]
mod serve;
mod timearg;
mod validate;
mod voice;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "chatframe", version, about = "Animated chat videos from project files", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a project to a video (MP4, WebM, MOV with alpha, GIF), a PNG sequence, or WAV/SRT.
    Render(render::RenderArgs),
    /// Render one frame to a PNG.
    Frame(frame::FrameArgs),
    /// Check project files: JSON, fields, references and media files.
    Validate(validate::ValidateArgs),
    /// Write a starter project to edit.
    New(project::NewArgs),
    /// Print the JSON Schema of the project file format.
    Schema,
    /// Run the Cloud API service (and its admin tasks).
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Serve the local studio library over HTTP on 127.0.0.1 (with a per-launch token) for
    /// scripts: list projects, apply edits, start exports.
    #[cfg(feature = "api")]
    Api(api::ApiArgs),
    /// Measure the encode-only floor: frames pre-rendered into memory, piped to ffmpeg with the
    /// export's exact settings (used by scripts/bench-export.sh).
    #[command(hide = true)]
    BenchEncode(bench::BenchArgs),
}

fn main() {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let json = matches!(&cli.command, Command::Render(a) if a.json);
    let result = match cli.command {
        Command::Render(args) => render::run(args),
        Command::Frame(args) => frame::run(args),
        Command::Validate(args) => validate::run(args),
        Command::New(args) => project::new(args),
        Command::Schema => project::schema(),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "api")]
        Command::Api(args) => api::run(args),
        Command::BenchEncode(args) => bench::run(args),
    };
    if let Err(err) = result {
        let code = exit::code_of(&err);
        if json {
            println!(
                "{}",
                serde_json::json!({"event": "error", "code": exit::error_code(&err), "message": format!("{err:#}")})
            );
        }
        eprintln!("error: {err:#}");
        std::process::exit(code);
    }
}

/// Logs go to stderr (stdout carries `--json` lines and the schema); `RUST_LOG` raises the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
