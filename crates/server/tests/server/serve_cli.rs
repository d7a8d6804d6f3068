//! `chatframe serve` flags. The command's file lives in the CLI crate (`crates/cli/src/serve.rs`)
//! and holds no logic; it is compiled here too so its use of this library is checked with it.

#[path = "../../../cli/src/serve.rs"]
#[allow(dead_code)]
mod serve;

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    Serve(serve::ServeArgs),
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
