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
        if job.watermark {
            watermark(out, format)?;
        }
        Ok(())
    }
}

/// The font the mark is drawn with: the studio's own UI font, bundled so no system font is used.
const MARK_FONT: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");

/// Draws "Made with Chatframe" in the bottom-right corner with ffmpeg (the renderer has no
/// overlay layer yet), re-encoding with the format's own codec and copying the audio.
fn watermark(file: &Path, format: Format) -> Result<(), RenderError> {
    let fail = |m: String| RenderError::Failed(format!("watermark: {m}"));
    let dir = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let font = dir.path().join("mark.otf");
    std::fs::write(&font, MARK_FONT).map_err(|e| fail(e.to_string()))?;
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("mp4");
    let marked = dir.path().join(format!("marked.{ext}"));
    let draw = format!(
        "drawtext=fontfile='{}':text='Made with Chatframe':fontsize=h/40:fontcolor=white@0.85:\
         box=1:boxcolor=black@0.35:boxborderw=12:x=w-tw-h/40:y=h-th-h/40",
        font.display()
    );
    let mut cmd = std::process::Command::new("ffmpeg");
    cmd.args(["-v", "error", "-y", "-i"]).arg(file);
    match format {
        Format::Gif => {
            cmd.args(["-filter_complex", &format!("{draw},split[a][b];[a]palettegen[p];[b][p]paletteuse")]);
        }
        _ => {
            cmd.args(["-vf", &draw, "-c:a", "copy"]);
        }
    }
    match format {
        Format::Webm => cmd.args([
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "0",
            "-crf",
            "32",
            "-row-mt",
            "1",
            "-deadline",
            "good",
            "-cpu-used",
            "5",
        ]),
        Format::Mov => cmd.args(["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le"]),
        Format::Gif => &mut cmd,
        _ => cmd.args([
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-crf",
            "18",
            "-preset",
            "veryfast",
            "-movflags",
            "+faststart",
        ]),
    };
    let out = cmd.arg(&marked).output().map_err(|e| fail(format!("cannot run ffmpeg: {e}")))?;
    if !out.status.success() {
        return Err(fail(String::from_utf8_lossy(&out.stderr).trim().to_string()));
    }
    // Same directory as the staged output is not guaranteed, so copy then replace.
    std::fs::copy(&marked, file).map_err(|e| fail(e.to_string()))?;
    Ok(())
}
