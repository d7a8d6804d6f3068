//! `chatframe-api`: the automation API on its own (`chatframe api` runs the same code), plus
//! `bindings` to print the UI's generated TypeScript types.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "chatframe-api", version, about = "The Chatframe local automation API")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    args: chatframe_api::cli::ApiArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the TypeScript bindings of the API types (ui/src/lib/bindings/api.ts).
    Bindings,
}

fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Bindings) => {
            print!("{}", chatframe_api::bindings::typescript());
            Ok(())
        }
        None => chatframe_api::cli::run(cli.args),
    }
}
