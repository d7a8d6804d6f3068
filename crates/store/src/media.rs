//! Media files (images, avatars, audio) stored by content: `media/<blake3>.<ext>` beside the
//! database. Content addressing makes re-importing the same photo free and lets bundles, the
//! renderer and exports all refer to one immutable file.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MediaInfo {
    pub hash: String,
    /// Lower-case extension without the dot (`png`, `jpg`, `mp3`); the renderer and decoders
    /// pick formats by it.
    pub ext: String,
    pub size: u64,
    /// The file name it was added under, for display.
    pub name: Option<String>,
    /// Path relative to the library folder, as written into documents (`media/<hash>.<ext>`).
    pub rel_path: String,
}

pub const MEDIA_DIR: &str = "media";

impl Store {
    pub fn media_dir(&self) -> PathBuf {
        self.library_dir().join(MEDIA_DIR)
    }

    /// Stores `bytes` (if not already there) and returns where documents should point.
    /// The file is written to a temporary name, fsynced and renamed, so a crash never leaves a
    /// truncated file under a content hash.
    pub fn put_media(&mut self, bytes: &[u8], ext: &str, name: Option<&str>) -> Result<MediaInfo, StoreError> {
        let hash = blake3::hash(bytes).to_hex().to_string();
        let ext = sanitize_ext(ext);
        let dir = self.media_dir();
        let file = dir.join(format!("{hash}.{ext}"));
        if !file.is_file() {
            std::fs::create_dir_all(&dir).map_err(StoreError::io("cannot create the media folder", &dir))?;
            let tmp = dir.join(format!(".{hash}.{}.tmp", std::process::id()));
            let write = || -> std::io::Result<()> {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, &file)
            };
            write().map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                StoreError::Io { what: "cannot write media file", path: file.clone(), source: e }
            })?;
        }
        let size = bytes.len() as u64;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO media (hash, ext, size, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (hash) DO NOTHING",
                params![hash, ext, size, name, now_ms()],
            )?;
            Ok(())
        })?;
        Ok(MediaInfo { rel_path: format!("{MEDIA_DIR}/{hash}.{ext}"), hash, ext, size, name: name.map(str::to_string) })
    }

    /// Copies a file from disk into the media store.
    pub fn import_media_file(&mut self, path: &Path) -> Result<MediaInfo, StoreError> {
        let bytes = std::fs::read(path).map_err(StoreError::io("cannot read media file", path))?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("bin");
        let name = path.file_name().and_then(|n| n.to_str());
        self.put_media(&bytes, ext, name)
    }

    pub fn media(&self, hash: &str) -> Result<Option<MediaInfo>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT hash, ext, size, name FROM media WHERE hash = ?", [hash], |r| {
                let (hash, ext): (String, String) = (r.get(0)?, r.get(1)?);
                Ok(MediaInfo {
                    rel_path: format!("{MEDIA_DIR}/{hash}.{ext}"),
                    hash,
                    ext,
                    size: r.get(2)?,
                    name: r.get(3)?,
                })
            })
            .optional()?)
    }
}

/// Keeps extensions to a short alphanumeric token: they become part of a file name.
fn sanitize_ext(ext: &str) -> String {
    let e: String = ext.trim_start_matches('.').chars().filter(char::is_ascii_alphanumeric).take(8).collect();
    if e.is_empty() { "bin".into() } else { e.to_ascii_lowercase() }
}
