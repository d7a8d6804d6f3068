//! Atomic output: everything is written to a temporary name beside the target, flushed to disk,
//! then renamed over it. A failed, killed or cancelled export leaves the target untouched (and
//! the temp is removed on drop), so a half-written video never masquerades as a finished one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::{TempDir, TempPath};

use crate::ExportError;

/// A temp file beside `target`, renamed over it by [`AtomicFile::commit`].
pub struct AtomicFile {
    temp: TempPath,
    target: PathBuf,
}

impl AtomicFile {
    pub fn beside(target: &Path) -> Result<AtomicFile, ExportError> {
        let dir = parent_dir(target);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
        // Same directory (rename must not cross file systems) and a dot-name so file browsers
        // and watch folders ignore it.
        let temp =
            builder(&format!(".{name}."), 0o666).tempfile_in(&dir).map_err(ExportError::io(&dir))?.into_temp_path();
        Ok(AtomicFile { temp, target: target.to_path_buf() })
    }

    /// Where the writer (us or ffmpeg) puts the bytes.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Flushes the finished file to disk and renames it into place.
    pub fn commit(self) -> Result<(), ExportError> {
        File::open(&self.temp).and_then(|f| f.sync_all()).map_err(ExportError::io(&*self.temp))?;
        let target = self.target;
        self.temp.persist(&target).map_err(|e| ExportError::Io { path: target.clone(), source: e.error })?;
        sync_dir(&parent_dir(&target));
        Ok(())
    }

    /// Writes `bytes` and commits: for small side files (SRT, PNG frame).
    pub fn write_all(
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), ExportError> {
        let file = AtomicFile::beside(target)?;
        let mut w = BufWriter::new(File::create(file.path()).map_err(ExportError::io(file.path()))?);
        write(&mut w).and_then(|()| w.flush()).map_err(ExportError::io(file.path()))?;
        drop(w);
        file.commit()
    }
}

/// A temp directory beside `target` (a PNG sequence), renamed over it by [`AtomicDir::commit`].
pub struct AtomicDir {
    temp: TempDir,
    target: PathBuf,
}

impl AtomicDir {
    pub fn beside(target: &Path) -> Result<AtomicDir, ExportError> {
        if target.exists() && !target.is_dir() {
            return Err(ExportError::Invalid(format!(
                "a PNG sequence is written to a directory, but this is a file: {}",
                target.display()
            )));
        }
        let dir = parent_dir(target);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "frames".into());
        let temp = builder(&format!(".{name}."), 0o777).tempdir_in(&dir).map_err(ExportError::io(&dir))?;
        Ok(AtomicDir { temp, target: target.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Renames the finished directory into place, replacing an earlier export there.
    pub fn commit(self) -> Result<(), ExportError> {
        sync_dir(self.temp.path());
        let temp = self.temp.keep();
        let target = &self.target;
        let result = if target.exists() {
            // rename(2) cannot replace a non-empty directory: move the old one aside first so the
            // target is never missing a complete sequence for longer than two renames.
            let old = tempfile::Builder::new()
                .prefix(".old.")
                .tempdir_in(parent_dir(target))
                .map_err(ExportError::io(target))?
                .keep();
            std::fs::rename(target, old.join("frames")).and_then(|()| std::fs::rename(&temp, target)).map(|()| {
                let _ = std::fs::remove_dir_all(&old);
            })
        } else {
            std::fs::rename(&temp, target)
        };
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(ExportError::Io { path: target.clone(), source: e });
        }
        sync_dir(&parent_dir(target));
        Ok(())
    }
}

/// A dot-named `.part` temp beside the target. Its mode is what a plainly created file would get
/// (the umask applies at creation): tempfile's default 0600 would make every export private to
/// its user after the rename.
fn builder(prefix: &str, mode: u32) -> tempfile::Builder<'_, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    b
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes the rename itself durable. Best effort: some file systems refuse to fsync directories.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Interleaved float samples, the mixed soundtrack of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Pcm {
    /// Silence of the given length in sample frames.
    pub fn silence(sample_rate: u32, channels: u16, frames: usize) -> Pcm {
        Pcm { sample_rate, channels, samples: vec![0.0; frames * usize::from(channels)] }
    }

    /// Length in sample frames (one sample per channel).
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    /// Pads with silence or cuts so the audio lasts exactly `video_frames` at `fps`: the output's
    /// duration must be the timeline's to the frame, whatever the mixer returned.
    pub fn fit_to(&mut self, video_frames: u64, fps: u32) {
        let frames = (u128::from(video_frames) * u128::from(self.sample_rate)).div_ceil(u128::from(fps.max(1)));
        self.samples.resize(frames as usize * usize::from(self.channels), 0.0);
    }

    /// Writes a 16-bit PCM WAV.
    pub fn write_wav(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let data_len = u32::try_from(self.samples.len() * 2)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "audio longer than a WAV can hold"))?;
        let ch = u32::from(self.channels);
        w.write_all(b"RIFF")?;
        w.write_all(&(36 + data_len).to_le_bytes())?;
        w.write_all(b"WAVEfmt ")?;
        w.write_all(&16u32.to_le_bytes())?;
        w.write_all(&1u16.to_le_bytes())?; // PCM
        w.write_all(&self.channels.to_le_bytes())?;
        w.write_all(&self.sample_rate.to_le_bytes())?;
        w.write_all(&(self.sample_rate * ch * 2).to_le_bytes())?;
        w.write_all(&(self.channels * 2).to_le_bytes())?;
        w.write_all(&16u16.to_le_bytes())?;
        w.write_all(b"data")?;
        w.write_all(&data_len.to_le_bytes())?;
        let mut buf = Vec::with_capacity(64 * 1024);
        for chunk in self.samples.chunks(32 * 1024) {
            buf.clear();
            for s in chunk {
                let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                buf.extend_from_slice(&v.to_le_bytes());
            }
            w.write_all(&buf)?;
        }
        Ok(())
    }
}

impl From<chatframe_audio::Mix> for Pcm {
    fn from(m: chatframe_audio::Mix) -> Pcm {
        Pcm { sample_rate: m.sample_rate, channels: m.channels, samples: m.samples }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_atomic_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.mp4");
        let f = AtomicFile::beside(&target).unwrap();
        std::fs::write(f.path(), b"partial").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn commit_replaces_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.srt");
        std::fs::write(&target, b"old").unwrap();
        AtomicFile::write_all(&target, |w: &mut dyn Write| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn directories_are_swapped_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("frames");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.png"), b"x").unwrap();
        let d = AtomicDir::beside(&target).unwrap();
        std::fs::write(d.path().join("frame_00001.png"), b"y").unwrap();
        d.commit().unwrap();
        let names: Vec<_> = std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("frame_00001.png")]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn wav_has_exact_length() {
        let mut pcm = Pcm::silence(48_000, 2, 10);
        pcm.fit_to(30, 30);
        assert_eq!(pcm.frames(), 48_000);
        let mut out = Vec::new();
        pcm.write_wav(&mut out).unwrap();
        assert_eq!(out.len(), 44 + 48_000 * 4);
    }
}
