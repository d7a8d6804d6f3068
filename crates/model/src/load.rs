//! Reading and writing project files.

use std::path::{Path, PathBuf};

use crate::{ModelError, Project, migrate::migrate};

/// Project files larger than this are refused before parsing (a real project is a few hundred KB).
pub const MAX_PROJECT_BYTES: u64 = 64 * 1024 * 1024;

/// Parses, migrates and validates a project from JSON bytes.
pub fn parse_project(bytes: &[u8]) -> Result<Project, ModelError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| ModelError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let value = migrate(value)?;
    let mut project: Project = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "$".to_string() } else { path };
        ModelError::field(path, e.into_inner().to_string())
    })?;
    project.assign_missing_ids();
    project.validate()?;
    Ok(project)
}

/// serde_json appends " at line X column Y"; we report those separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A project read from disk, with the directory its relative media paths resolve against.
#[derive(Debug, Clone)]
pub struct LoadedProject {
    pub project: Project,
    pub base_dir: PathBuf,
    pub path: PathBuf,
}

/// Reads, migrates and validates a project file.
pub fn load_project(path: &Path) -> Result<LoadedProject, ModelError> {
    let read_err = |source| ModelError::Read { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(ModelError::field(
            "$",
            format!("file is {} MB; project files are limited to {} MB", meta.len() >> 20, MAX_PROJECT_BYTES >> 20),
        ));
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let project = parse_project(&bytes)?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(LoadedProject { project, base_dir, path: path.to_path_buf() })
}

/// Resolves a media reference: absolute paths stay, relative ones join the project's directory.
pub fn resolve_media(base: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() { p.to_path_buf() } else { base.join(p) }
}

impl Project {
    /// Pretty JSON as written to `.chatframe.json` files.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a project always serializes")
    }

    /// Gives every message without an id a stable one (`m1`, `m2`, ...), so edits and caches
    /// can refer to messages of hand-written files.
    pub fn assign_missing_ids(&mut self) {
        let taken: std::collections::HashSet<String> =
            self.messages.iter().filter(|m| !m.id.is_empty()).map(|m| m.id.clone()).collect();
        let mut n = 0;
        for m in self.messages.iter_mut().filter(|m| m.id.is_empty()) {
            loop {
                n += 1;
                let id = format!("m{n}");
                if !taken.contains(&id) {
                    m.id = id;
                    break;
                }
            }
        }
    }
}
