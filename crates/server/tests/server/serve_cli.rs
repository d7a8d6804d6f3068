//! The Cloud API's command line (`chatframe_server::cli`), as both binaries mount it:
//! `chatframe serve ...` (a subcommand) and `chatframe-server ...` (the top level).

use chatframe_server::cli::{self as serve, ServeCommand};
use clap::Parser;

/// `chatframe`'s shape: the arguments under a `serve` subcommand.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    Serve(serve::ServeArgs),
}

/// `chatframe-server`'s shape: the same arguments at the top level.
#[derive(Parser)]
struct Server {
    #[command(flatten)]
    args: serve::ServeArgs,
}

#[test]
fn admin_create_account_prints_a_working_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let cli =
        Cli::try_parse_from(["chatframe", "serve", "admin", "create-account", "--credits", "1000", "--data-dir", data])
            .unwrap();
    let Command::Serve(args) = cli.command;
    assert_eq!(args.data_dir.as_deref(), Some(dir.path()));
    serve::run(args).unwrap();
    // The account exists with its credits (the key itself went to stdout only).
    let db = rusqlite::Connection::open(dir.path().join("chatframe.sqlite")).unwrap();
    let balances: Vec<i64> = db
        .prepare("SELECT balance FROM accounts")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(balances, [1000]);
    let stored_key: Vec<u8> = db.query_row("SELECT key_hash FROM api_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(stored_key.len(), 32, "only the SHA-256 of the key is stored");
    let listen =
        Cli::try_parse_from(["chatframe", "serve", "--listen", "127.0.0.1:8787", "--config", "c.toml"]).unwrap();
    let Command::Serve(args) = listen.command;
    assert_eq!(args.listen.unwrap().port(), 8787);
    assert!(args.command.is_none());
    assert!(Cli::try_parse_from(["chatframe", "serve", "admin", "create-account", "--credits", "many"]).is_err());
}

#[test]
fn chatframe_server_takes_the_same_flags_at_the_top_level() {
    let parsed = Server::try_parse_from([
        "chatframe-server",
        "--data-dir",
        "d",
        "--listen",
        "127.0.0.1:9000",
        "--public-url",
        "https://api.example.com",
    ])
    .unwrap();
    assert_eq!(parsed.args.data_dir.as_deref(), Some(std::path::Path::new("d")));
    assert_eq!(parsed.args.listen.unwrap().port(), 9000);
    assert_eq!(parsed.args.public_url.as_deref(), Some("https://api.example.com"));
    assert!(parsed.args.command.is_none());
    let admin = Server::try_parse_from([
        "chatframe-server",
        "admin",
        "create-account",
        "--data-dir",
        "d",
        "--credits",
        "5",
        "--rate-limit",
        "60",
    ])
    .unwrap();
    assert!(matches!(
        admin.args.command,
        Some(ServeCommand::Admin(serve::AdminCommand::CreateAccount { credits: 5, rate_limit: Some(60), .. }))
    ));
    assert!(matches!(
        Server::try_parse_from(["chatframe-server", "openapi"]).unwrap().args.command,
        Some(ServeCommand::Openapi)
    ));
    assert!(Server::try_parse_from(["chatframe-server", "--port", "1"]).is_err(), "unknown flags are refused");
}
