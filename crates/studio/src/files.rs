//! Project files: `.chatframe.json` (the document alone) and `.chatframe` bundles (a zip with
//! `project.chatframe.json` and a `media/` folder) for sharing and backup. Imports check
//! everything before writing anything, so a broken file changes nothing in the library.

use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use chatframe_model::{
    Avatar, Background, MAX_PROJECT_BYTES, ModelError, Project, is_builtin_sound, load_project, parse_project,
    resolve_media,
};
use chatframe_store::ProjectSummary;

use crate::{Studio, StudioError};

/// The document's name inside a bundle.
pub const BUNDLE_PROJECT: &str = "project.chatframe.json";
/// Bundles larger than this (uncompressed) are refused: a zip bomb must not fill the disk.
pub const MAX_BUNDLE_BYTES: u64 = 2 << 30;
const MAX_BUNDLE_ENTRIES: usize = 10_000;

/// Calls `f` with every media reference of the document, mutably, so imports and exports can
/// rewrite them (the model's `media_refs` lists the same places, read-only).
fn for_each_media(
    project: &mut Project,
    mut f: impl FnMut(&str, &mut String) -> Result<(), StudioError>,
) -> Result<(), StudioError> {
    if let Background::Image { path } = &mut project.canvas.background {
        f("canvas.background.path", path)?;
    }
    if let Some(Avatar::Image { image }) = &mut project.theme.header.avatar {
        f("theme.header.avatar.image", image)?;
    }
    for (i, p) in project.participants.iter_mut().enumerate() {
        if let Some(Avatar::Image { image }) = &mut p.avatar {
            f(&format!("participants[{i}].avatar.image"), image)?;
        }
    }
    for (i, m) in project.messages.iter_mut().enumerate() {
        if let Some(media) = &mut m.media {
            f(&format!("messages[{i}].media"), media)?;
        }
        if let Some(s) = &mut m.sound
            && !is_builtin_sound(&s.src)
        {
            f(&format!("messages[{i}].sound.src"), &mut s.src)?;
        }
    }
    if let Some(m) = &mut project.audio.music {
        f("audio.music.src", &mut m.src)?;
    }
    Ok(())
}

fn ext_of(name: &str) -> &str {
    Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("bin")
}

/// Normalises a bundle-relative path (`./media/a.png`, `media\a.png`) for lookup.
fn bundle_key(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches("./").to_string()
}

impl Studio {
    /// Imports a `.chatframe` bundle or a `.chatframe.json` file (chosen by content: bundles
    /// are zips) as a new project. Media are copied into the library. On error — malformed
    /// JSON, an invalid field, a missing media file — the model's error names the JSON path,
    /// and the library is unchanged.
    pub fn import(&mut self, path: &Path) -> Result<ProjectSummary, StudioError> {
        let mut head = [0u8; 4];
        let is_zip = std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .map(|_| head == *b"PK\x03\x04")
            .unwrap_or(false);
        let (project, media) = if is_zip { read_bundle(path)? } else { read_json(path)? };
        // Everything is checked; only now write: media first (content-addressed, so a crash
        // in between leaves at worst an unreferenced file), then the project row.
        let mut stored: HashMap<String, String> = HashMap::new();
        for (key, source) in media {
            let info = match source {
                MediaSource::File(file) => self.store.import_media_file(&file)?,
                MediaSource::Bytes(bytes) => {
                    let name = Path::new(&key).file_name().and_then(|n| n.to_str());
                    self.store.put_media(&bytes, ext_of(&key), name)?
                }
            };
            stored.insert(key, info.rel_path);
        }
        let mut project = project;
        for_each_media(&mut project, |_, r| {
            *r = stored[&bundle_key(r)].clone();
            Ok(())
        })?;
        if project.name.trim().is_empty() {
            project.name = file_stem(path);
        }
        self.insert(project, None)
    }

    /// Writes a project as `.chatframe.json` (media referenced by absolute path into the
    /// library) or, when `path` ends in `.chatframe`, as a self-contained bundle. The file
    /// appears atomically: written beside the target, synced, then renamed over it.
    pub fn export_file(&self, id: &str, path: &Path) -> Result<(), StudioError> {
        let mut project = self.document(id)?;
        let library = self.store.library_dir();
        let bundle = path.extension().is_some_and(|e| e == "chatframe");
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for_each_media(&mut project, |_, r| {
            let full = resolve_media(&library, r);
            if bundle {
                let name = format!("media/{}", full.file_name().and_then(|n| n.to_str()).unwrap_or("file"));
                if !files.iter().any(|(n, _)| *n == name) {
                    files.push((name.clone(), full));
                }
                *r = name;
            } else {
                *r = full.to_string_lossy().into_owned();
            }
            Ok(())
        })?;
        atomic_write(path, |out| {
            if !bundle {
                return out.write_all(project.to_json_pretty().as_bytes());
            }
            let mut zip = zip::ZipWriter::new(out);
            let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(BUNDLE_PROJECT, deflate).map_err(std::io::Error::other)?;
            zip.write_all(project.to_json_pretty().as_bytes())?;
            // Media are already compressed (PNG, JPEG, MP3): store them as they are.
            let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            for (name, file) in &files {
                zip.start_file(name.as_str(), stored).map_err(std::io::Error::other)?;
                std::io::copy(&mut std::fs::File::open(file)?, &mut zip)?;
            }
            zip.finish().map_err(std::io::Error::other)?;
            Ok(())
        })
    }
}

enum MediaSource {
    File(PathBuf),
    Bytes(Vec<u8>),
}

type Parsed = (Project, Vec<(String, MediaSource)>);

fn read_json(path: &Path) -> Result<Parsed, StudioError> {
    let loaded = load_project(path)?;
    loaded.project.check_media(&loaded.base_dir)?;
    let mut project = loaded.project;
    let mut media = Vec::new();
    for_each_media(&mut project, |_, r| {
        let key = bundle_key(r);
        if !media.iter().any(|(k, _)| *k == key) {
            media.push((key.clone(), MediaSource::File(resolve_media(&loaded.base_dir, r))));
        }
        *r = key;
        Ok(())
    })?;
    Ok((project, media))
}

fn read_bundle(path: &Path) -> Result<Parsed, StudioError> {
    let bad = |message: String| StudioError::Bundle { message, path: path.to_path_buf() };
    let file = std::fs::File::open(path).map_err(StudioError::io("cannot read bundle", path))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(format!("not a valid .chatframe bundle ({e})")))?;
    if zip.len() > MAX_BUNDLE_ENTRIES {
        return Err(bad(format!("has {} files; bundles hold at most {MAX_BUNDLE_ENTRIES}", zip.len())));
    }
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| bad(format!("has an unreadable file name ({e})")))?;
    let doc_name = if names.iter().any(|n| n == BUNDLE_PROJECT) {
        BUNDLE_PROJECT.to_string()
    } else {
        let mut docs = names.iter().filter(|n| n.ends_with(".chatframe.json") && !n.contains('/'));
        match (docs.next(), docs.next()) {
            (Some(one), None) => one.clone(),
            _ => return Err(bad(format!("has no {BUNDLE_PROJECT}"))),
        }
    };
    let doc = read_entry(&mut zip, &doc_name, MAX_PROJECT_BYTES).map_err(|e| bad(format!("{doc_name}: {e}")))?;
    let mut project = parse_project(&doc)?;
    let mut wanted: Vec<(String, String)> = Vec::new();
    let mut missing = Vec::new();
    for_each_media(&mut project, |field, r| {
        let key = bundle_key(r);
        if !names.contains(&key) {
            missing.push(ModelError::field(field, format!("file not found in the bundle: {r}")));
        } else if !wanted.iter().any(|(k, _)| *k == key) {
            wanted.push((key.clone(), field.to_string()));
        }
        *r = key;
        Ok(())
    })?;
    if let Some(first) = missing.first() {
        return Err(StudioError::Model(match missing.len() {
            1 => missing.remove(0),
            count => ModelError::Many { count, first: first.to_string(), all: missing },
        }));
    }
    let mut total = doc.len() as u64;
    let mut media = Vec::new();
    for (key, field) in wanted {
        let bytes =
            read_entry(&mut zip, &key, MAX_BUNDLE_BYTES - total).map_err(|e| bad(format!("{field}: {key}: {e}")))?;
        total += bytes.len() as u64;
        media.push((key, MediaSource::Bytes(bytes)));
    }
    Ok((project, media))
}

/// Reads one entry, refusing to inflate more than `limit` bytes whatever its header claims.
fn read_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str, limit: u64) -> Result<Vec<u8>, String> {
    let entry = zip.by_name(name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    entry.take(limit + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than the {} MB limit", limit >> 20));
    }
    Ok(bytes)
}

fn file_stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("Imported");
    name.trim_end_matches(".chatframe.json").trim_end_matches(".chatframe").trim_end_matches(".json").to_string()
}

/// Writes `path` via a temporary file in the same folder, fsyncs it and renames it into place:
/// a crash or error never leaves a half-written file at the target.
fn atomic_write(path: &Path, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> Result<(), StudioError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("export");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        write(&mut f)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        StudioError::Io { what: "cannot write project file", path: path.to_path_buf(), source: e }
    })
}
