//! The Cloud API's command line, shared by `chatframe serve` and the `chatframe-server` binary
//! (the Python suites' and benchmarks' launcher): one definition of the flags, their defaults
//! and what each does, mapped onto [`Config`](crate::Config).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// TOML config file (engines, prices, limits); environment variables CHATFRAME_* override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Where the database, media and exports are kept.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Base URL clients reach the server at (used in download links).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<ServeCommand>,
}

#[derive(clap::Subcommand, Debug)]
pub enum ServeCommand {
    /// Administration on the data directory (no running server needed).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(clap::Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an account and print its API key (shown only this once).
    CreateAccount {
        /// Initial credits.
        #[arg(long, default_value_t = 0)]
        credits: i64,
        #[arg(long, default_value = "account")]
        name: String,
        /// Requests per minute per key (default: the configured rate limit).
        #[arg(long)]
        rate_limit: Option<u32>,
    },
    /// Record a credit purchase for an account.
    AddCredits {
        account_id: String,
        #[arg(long)]
        credits: i64,
    },
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,symphonia=off".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let mut config = crate::Config::load(args.config.as_deref())?;
    if let Some(dir) = args.data_dir {
        config.data_dir = dir;
    }
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(url) = args.public_url {
        config.public_url = Some(url);
    }
    match args.command {
        None => crate::serve_blocking(config).context("the Cloud API stopped")?,
        Some(ServeCommand::Openapi) => print!("{}", crate::openapi_json()?),
        Some(ServeCommand::Admin(AdminCommand::CreateAccount { credits, name, rate_limit })) => {
            let a = crate::admin_create_account(&config, &name, credits, rate_limit)?;
            println!("{}", a.api_key);
            eprintln!(
                "account {} created with {} credits in {}; the key above is shown only once",
                a.account_id,
                a.credits,
                config.data_dir.display()
            );
        }
        Some(ServeCommand::Admin(AdminCommand::AddCredits { account_id, credits })) => {
            let balance = crate::admin_add_credits(&config, &account_id, credits, "credit purchase")?;
            println!("{balance}");
        }
    }
    Ok(())
}
