//! The real render engine: `chatframe-render` draws the frames and `chatframe-export` encodes
//! them with the system ffmpeg — the same pipeline as `chatframe render`, so a cloud export is
//! the video the studio would make.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chatframe_export::{ExportOptions, Format, Preset};

use crate::jobs::{RenderEngine, RenderError, RenderJob};

pub struct ExportEngine;

/// The preset for the project's shape at the requested resolution: a 9:16 story stays 9:16.
fn preset(width: u32, height: u32, resolution: &str) -> Result<Preset, RenderError> {
    let aspect = if height * 10 > width * 12 {
        "9x16"
    } else if width * 10 > height * 12 {
        "16x9"
    } else {
        "1x1"
    };
    format!("{aspect}-{resolution}")
        .parse()
        .map_err(|e: chatframe_export::ExportError| RenderError::Failed(e.to_string()))
}

impl RenderEngine for ExportEngine {
    fn name(&self) -> &str {
        "chatframe-export"
    }

    fn render(
        &self,
        job: &RenderJob<'_>,
        out: &Path,
        progress: &mut dyn FnMut(f64),
        cancel: &AtomicBool,
    ) -> Result<(), RenderError> {
        let mut project = job.project.clone();
        preset(project.canvas.width, project.canvas.height, job.resolution)?.apply(&mut project.canvas);
        let format: Format =
            job.format.parse().map_err(|e: chatframe_export::ExportError| RenderError::Failed(e.to_string()))?;
        // Cloud projects carry no media files; relative paths resolve into an empty directory,
        // so a missing image is reported by the renderer rather than read from the server's disk.
        let media = tempfile::tempdir().map_err(|e| RenderError::Failed(e.to_string()))?;
        // The soundtrack is mixed too: built-in message sounds are synthesized, not files.
        let (mut renderer, audio) = chatframe_export::prepare(project, media.path(), format.has_audio())
            .map_err(|e| RenderError::Failed(e.to_string()))?;
        let mut opts = ExportOptions::new(format);
        opts.audio = audio;
        let token = opts.cancel.clone();
        chatframe_export::export(&mut renderer, out, opts, &mut |p| {
            if cancel.load(Ordering::Relaxed) {
                token.cancel();
            }
            if p.total_frames > 0 {
                progress(p.frames_done as f64 / p.total_frames as f64);
            }
        })
        .map_err(|e| RenderError::Failed(e.to_string()))?;
        Ok(())
    }
}
