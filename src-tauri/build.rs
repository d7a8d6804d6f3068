fn main() {
    // `generate_context!` embeds ui/dist and refuses to compile without it. `make studio` builds
    // the UI first; a bare `cargo clippy --workspace` on a fresh checkout gets a placeholder page
    // instead of a build failure.
    let dist = std::path::Path::new("../ui/dist");
    if !dist.join("index.html").exists() {
        let _ = std::fs::create_dir_all(dist);
        let _ = std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Chatframe</title><p>The UI is not built: run <code>make studio</code>.</p>",
        );
    }
    tauri_build::build()
}
