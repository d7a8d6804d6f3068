//! The Chatframe studio desktop app. Commands are one-line forwards to `chatframe_studio::App`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let library = std::env::var_os("CHATFRAME_LIBRARY")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(chatframe_studio::default_library);
    let export_dir = std::env::var_os("CHATFRAME_EXPORT_DIR").map(std::path::PathBuf::from);
    let app = match chatframe_studio::App::open(&library, chatframe_studio::default_samples(), export_dir) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: cannot open the library {}: {e}", library.display());
            std::process::exit(1);
        }
    };
    // The preview socket: the same router as `chatframe api`, on loopback with a fresh token.
    let token = chatframe_api::new_token();
    let server = tauri::async_runtime::block_on(chatframe_api::Server::bind(app.clone(), 0, token, None));
    let server = match server {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on loopback: {e}");
            std::process::exit(1);
        }
    };
    let endpoint = commands::Endpoint { url: format!("http://{}", server.addr), token: server.token.clone() };
    tauri::async_runtime::spawn(server.run(std::future::pending()));
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::Shared { app, endpoint })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
