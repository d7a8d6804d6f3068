//! Development launcher of the Cloud API, used by the Python suites and the benchmark script so
//! they do not depend on the CLI crate. Users run `chatframe serve` (same library, same flags).
//!
//!   chatframe-server [--config FILE] [--data-dir DIR] [--listen ADDR]
//!   chatframe-server create-account [--data-dir DIR] [--credits N] [--rate-limit N] [--name NAME]
//!   chatframe-server openapi

use std::path::PathBuf;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,symphonia=off".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args.first().map(String::as_str) {
        Some("create-account" | "openapi") => Some(args.remove(0)),
        _ => None,
    };
    let (mut config_file, mut data_dir, mut listen) = (None, None, None);
    let (mut credits, mut rate, mut name) = (1000i64, None, "account".to_string());
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--config" => config_file = Some(PathBuf::from(value()?)),
            "--data-dir" => data_dir = Some(PathBuf::from(value()?)),
            "--listen" => listen = Some(value()?.parse().context("--listen")?),
            "--credits" => credits = value()?.parse().context("--credits")?,
            "--rate-limit" => rate = Some(value()?.parse().context("--rate-limit")?),
            "--name" => name = value()?,
            other => bail!("unknown argument {other}"),
        }
    }
    let mut config = chatframe_server::Config::load(config_file.as_deref())?;
    if let Some(d) = data_dir {
        config.data_dir = d;
    }
    if let Some(l) = listen {
        config.listen = l;
    }
    match command.as_deref() {
        Some("create-account") => {
            let a = chatframe_server::admin_create_account(&config, &name, credits, rate)?;
            println!("{}", a.api_key);
            eprintln!("account {} created with {} credits; the key above is shown only once", a.account_id, a.credits);
        }
        Some("openapi") => print!("{}", chatframe_server::openapi_json()?),
        _ => {
            chatframe_server::serve_blocking(config)?;
        }
    }
    Ok(())
}
