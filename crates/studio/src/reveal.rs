//! "Show in folder": the desktop's file manager opens the folder of a file with the file
//! selected. Freedesktop file managers (Nautilus, Dolphin, Nemo, Thunar, Caja) implement the
//! `org.freedesktop.FileManager1.ShowItems` D-Bus call, which selects the file; without one,
//! `xdg-open` opens the folder in whatever handles folders. When neither works the caller gets a
//! `REVEAL_UNAVAILABLE` error that names where the file is, so the user can go there by hand.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::StudioError;

/// How long a launcher may take to say whether it worked: both calls return once the file
/// manager has been asked, well under a second on a desktop.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Shows `path` in the file manager.
pub fn reveal(path: &Path) -> Result<(), StudioError> {
    if !path.exists() {
        return Err(StudioError::NotFound {
            what: format!("file to show: it was moved or deleted since it was written ({})", path.display()),
        });
    }
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let uri = file_uri(&path);
    let dir = path.parent().unwrap_or(Path::new("/"));
    let show_items = [
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.FileManager1",
        "--type=method_call",
        "/org/freedesktop/FileManager1",
        "org.freedesktop.FileManager1.ShowItems",
        &format!("array:string:{uri}"),
        "string:",
    ];
    let session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    if (session_bus && succeeds(Command::new("dbus-send").args(show_items)))
        || succeeds(Command::new("xdg-open").arg(dir))
    {
        return Ok(());
    }
    Err(StudioError::RevealUnavailable { path })
}

/// Runs a launcher to completion (bounded): true when it ran and exited with success.
fn succeeds(cmd: &mut Command) -> bool {
    let Ok(mut child) = cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn() else {
        return false;
    };
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if started.elapsed() < LAUNCH_TIMEOUT => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// `file:///a%20b/c.mp4`: a path as a URI, every byte outside the unreserved set escaped.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_escape_spaces_and_non_ascii() {
        assert_eq!(file_uri(Path::new("/tmp/My chat ☕.mp4")), "file:///tmp/My%20chat%20%E2%98%95.mp4");
    }

    #[test]
    fn a_missing_file_is_named_not_shown() {
        let e = reveal(Path::new("/nonexistent/chatframe/x.mp4")).unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        assert!(e.to_string().contains("/nonexistent/chatframe/x.mp4"), "{e}");
    }
}
