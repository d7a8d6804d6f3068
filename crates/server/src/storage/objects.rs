//! Binary objects (voice samples, rendered videos). Local disk by default; an S3-compatible
//! store implements the same trait when the service runs on several machines.

use std::io;
use std::path::{Path, PathBuf};

pub trait ObjectStore: Send + Sync {
    /// Stores `bytes` under `key` atomically (readers never see a partial object).
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    /// A local file a worker can write the object to before [`ObjectStore::commit_file`].
    fn staging_path(&self, key: &str) -> io::Result<PathBuf>;
    /// Moves a finished staging file into the store; returns its size.
    fn commit_file(&self, key: &str, staged: &Path) -> io::Result<u64>;
    /// A local path to stream the object from.
    fn open_path(&self, key: &str) -> io::Result<PathBuf>;
}

pub struct LocalObjects {
    root: PathBuf,
}

impl LocalObjects {
    pub fn new(root: PathBuf) -> io::Result<Self> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(LocalObjects { root })
    }

    /// Keys are our own ids plus a fixed extension; anything else is refused so a key can never
    /// name a path outside the root.
    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let ok = !key.is_empty()
            && key.split('/').all(|p| !p.is_empty() && p != "." && p != "..")
            && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
        if !ok {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("bad object key {key:?}")));
        }
        Ok(self.root.join(key))
    }
}

impl ObjectStore for LocalObjects {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.path(key)?;
        let staged = self.staging_path(key)?;
        std::fs::write(&staged, bytes)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&staged, &target)
    }

    fn staging_path(&self, key: &str) -> io::Result<PathBuf> {
        self.path(key)?;
        Ok(self.root.join("tmp").join(format!("{}-{}", crate::storage::new_id("tmp"), key.replace('/', "_"))))
    }

    fn commit_file(&self, key: &str, staged: &Path) -> io::Result<u64> {
        let target = self.path(key)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(staged, &target)?;
        Ok(std::fs::metadata(&target)?.len())
    }

    fn open_path(&self, key: &str) -> io::Result<PathBuf> {
        let p = self.path(key)?;
        if p.is_file() { Ok(p) } else { Err(io::Error::new(io::ErrorKind::NotFound, key.to_string())) }
    }
}
