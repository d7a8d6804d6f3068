//! The Cloud API on its own, without the rest of the `chatframe` command: the same flags as
//! `chatframe serve` (`chatframe_server::cli`), so the Python suites and the benchmark script
//! need only this crate.
//!
//!   chatframe-server [--config FILE] [--data-dir DIR] [--listen ADDR] [--public-url URL]
//!   chatframe-server admin create-account [--credits N] [--rate-limit N] [--name NAME]
//!   chatframe-server openapi

use clap::Parser;

#[derive(Parser)]
#[command(name = "chatframe-server", version, about = "The Chatframe Cloud API service")]
struct Cli {
    #[command(flatten)]
    args: chatframe_server::cli::ServeArgs,
}

fn main() -> anyhow::Result<()> {
    chatframe_server::cli::run(Cli::parse().args)
}
