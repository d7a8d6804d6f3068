//! Clips on disk, keyed by everything that makes them sound the way they do: the engine and its
//! identity (version), the voice, pitch and rate, and the spoken words. An unchanged line is read
//! back instead of synthesised; a retake of one line (new words, new voice) misses only for it.
//! Clips are written to a temp file in the cache directory and renamed into place, so a crash or
//! a full disk never leaves a partial clip under a key.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Clip, Prosody, VoiceEngine, VoiceError};

/// Bumped when the stored form changes (trimming, sample format), so old clips are not reused.
const FORMAT: &str = "chatframe-voice clip 1";

/// What one clip is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipRequest<'a> {
    pub voice: &'a str,
    pub text: &'a str,
    pub prosody: Prosody,
}

pub struct ClipCache {
    dir: PathBuf,
    syntheses: AtomicUsize,
    hits: AtomicUsize,
}

impl ClipCache {
    /// A cache in `dir` (created when the first clip is stored).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ClipCache { dir: dir.into(), syntheses: AtomicUsize::new(0), hits: AtomicUsize::new(0) }
    }

    /// The user's cache: `$XDG_CACHE_HOME/chatframe/voice`, else `~/.cache/chatframe/voice`.
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("chatframe").join("voice"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many clips this cache has had synthesised (misses) and read back (hits).
    pub fn syntheses(&self) -> usize {
        self.syntheses.load(Ordering::SeqCst)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The file a clip is (or would be) stored in.
    pub fn path_for(&self, engine: &dyn VoiceEngine, req: &ClipRequest<'_>) -> PathBuf {
        let mut h = blake3::Hasher::new();
        let p = req.prosody.clamped();
        for part in [FORMAT, engine.id(), &engine.cache_identity(), req.voice, req.text] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.update(&p.pitch.to_bits().to_le_bytes());
        h.update(&p.rate.to_bits().to_le_bytes());
        let hex = h.finalize().to_hex();
        self.dir.join(&hex[..2]).join(format!("{hex}.wav"))
    }

    /// The clip if it is cached. A damaged file is treated as absent (and replaced on the next
    /// store): a cache is never a reason an export fails.
    pub fn lookup(&self, engine: &dyn VoiceEngine, req: &ClipRequest<'_>) -> Option<Clip> {
        let path = self.path_for(engine, req);
        if !path.is_file() {
            return None;
        }
        match read_wav(&path) {
            Ok(samples) if !samples.is_empty() => {
                self.hits.fetch_add(1, Ordering::SeqCst);
                Some(Clip { samples })
            }
            Ok(_) | Err(_) => {
                tracing::warn!("ignoring a damaged cached clip: {}", path.display());
                None
            }
        }
    }

    /// The cached clip, or a new one synthesised and stored.
    pub fn get_or_synthesize(&self, engine: &dyn VoiceEngine, req: &ClipRequest<'_>) -> Result<Clip, VoiceError> {
        if let Some(hit) = self.lookup(engine, req) {
            return Ok(hit);
        }
        self.syntheses.fetch_add(1, Ordering::SeqCst);
        let clip = engine.synthesize(req.voice, req.text, req.prosody)?;
        self.store(&self.path_for(engine, req), &clip)?;
        Ok(clip)
    }

    fn store(&self, path: &Path, clip: &Clip) -> Result<(), VoiceError> {
        let dir = path.parent().expect("cache paths have a parent");
        let fail = |e: &dyn std::fmt::Display| VoiceError::Cache {
            path: path.to_path_buf(),
            message: format!("cannot store the clip ({e})"),
        };
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let tmp = tempfile::Builder::new().prefix(".clip-").suffix(".tmp").tempfile_in(dir).map_err(|e| fail(&e))?;
        write_wav(tmp.path(), &clip.samples)?;
        tmp.as_file().sync_all().map_err(|e| fail(&e))?;
        tmp.persist(path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

/// 48 kHz mono 32-bit float: exactly the samples the mix uses, no requantisation.
pub(crate) fn write_wav(path: &Path, samples: &[f32]) -> Result<(), VoiceError> {
    let fail = |e: hound::Error| VoiceError::Cache { path: path.to_path_buf(), message: e.to_string() };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: chatframe_audio::SAMPLE_RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(fail)?;
    for &s in samples {
        w.write_sample(s).map_err(fail)?;
    }
    w.finalize().map_err(fail)
}

fn read_wav(path: &Path) -> Result<Arc<[f32]>, hound::Error> {
    let mut r = hound::WavReader::open(path)?;
    let spec = r.spec();
    if spec.channels != 1
        || spec.sample_rate != chatframe_audio::SAMPLE_RATE
        || spec.sample_format != hound::SampleFormat::Float
    {
        return Err(hound::Error::Unsupported);
    }
    r.samples::<f32>().collect::<Result<Vec<_>, _>>().map(Arc::from)
}
