//! The export loop: render each frame, convert it to the wire format, hand it to the encoder.
//! Frames whose `frame_key` equals the previous one are neither drawn nor converted again — in a
//! chat video most frames between two animations are identical.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chatframe_model::Micros;
use chatframe_render::{Pixmap, Renderer};

use crate::ffmpeg::{EncodeSpec, Encoder, Ffmpeg, Frame};
use crate::output::{AtomicDir, AtomicFile, Pcm};
use crate::{ExportError, Format, yuv};

/// Cancels a running export from another thread (a Ctrl-C handler, the studio's cancel button).
/// Checked between frames; the encoder is killed and the temp output removed. The same token
/// stops voice-over synthesis (`chatframe-voice`), so one flag cancels the whole render.
pub use chatframe_audio::CancelToken;

/// How far an export is. Sent after every frame; consumers throttle as they like.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub frames_done: u64,
    pub total_frames: u64,
    pub elapsed: Duration,
    /// Average frames per second so far.
    pub fps: f64,
    /// Remaining time at the average rate so far; `None` before the first frame.
    pub eta: Option<Duration>,
}

impl Progress {
    fn at(frames_done: u64, total_frames: u64, started: Instant) -> Progress {
        let elapsed = started.elapsed();
        let secs = elapsed.as_secs_f64();
        let fps = if secs > 0.0 { frames_done as f64 / secs } else { 0.0 };
        let eta = (fps > 0.0).then(|| Duration::from_secs_f64(total_frames.saturating_sub(frames_done) as f64 / fps));
        Progress { frames_done, total_frames, elapsed, fps, eta }
    }
}

/// What to write and how.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// The mixed soundtrack; fitted to the video's exact length. `None` = no audio track.
    pub audio: Option<Pcm>,
    pub cancel: CancelToken,
    /// A specific ffmpeg; located with [`Ffmpeg::locate`] when `None` and needed.
    pub ffmpeg: Option<Ffmpeg>,
}

impl ExportOptions {
    pub fn new(format: Format) -> Self {
        ExportOptions { format, audio: None, cancel: CancelToken::new(), ffmpeg: None }
    }
}

/// A finished export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Frames written (0 for WAV and SRT).
    pub frames: u64,
    /// Length of the output: `frames / fps`, the timeline's duration rounded up to a frame.
    pub duration: Micros,
    /// Frames sent again without drawing because their `frame_key` was unchanged.
    pub reused_frames: u64,
    pub elapsed: Duration,
}

/// Exports the renderer's project to `out`. On any error, cancellation included, nothing is
/// left at `out` (an earlier file there stays as it was).
pub fn export(
    renderer: &mut Renderer,
    out: &Path,
    opts: ExportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ExportSummary, ExportError> {
    let started = Instant::now();
    let (width, height) = renderer.size();
    let fps = renderer.timeline().fps;
    let total = renderer.timeline().frame_count();
    let mut summary = ExportSummary {
        path: out.to_path_buf(),
        format: opts.format,
        width,
        height,
        fps,
        frames: 0,
        duration: renderer.timeline().frame_time(total),
        reused_frames: 0,
        elapsed: Duration::ZERO,
    };
    if opts.cancel.is_cancelled() {
        return Err(ExportError::Cancelled);
    }
    match opts.format {
        Format::Srt => {
            let text = crate::srt::srt(renderer.project(), renderer.timeline());
            AtomicFile::write_all(out, |w| w.write_all(text.as_bytes()))?;
        }
        Format::Wav => {
            let mut pcm = opts.audio.unwrap_or_else(|| Pcm::silence(48_000, 2, 0));
            pcm.fit_to(total, fps);
            AtomicFile::write_all(out, |w| pcm.write_wav(w))?;
        }
        Format::PngSequence => {
            summary.reused_frames = png_sequence(renderer, out, &opts.cancel, started, progress)?;
            summary.frames = total;
        }
        Format::Mp4 | Format::Webm | Format::Mov | Format::Gif => {
            if width % 2 != 0 || height % 2 != 0 {
                return Err(ExportError::Invalid(format!(
                    "video size must be even in both directions, got {width}x{height}"
                )));
            }
            let ffmpeg = match opts.ffmpeg {
                Some(f) => f,
                None => Ffmpeg::locate()?,
            };
            // The audio goes to ffmpeg as a WAV in the temp directory: small (11 MB a minute) and
            // seekable, which a second pipe is not.
            let wav = match opts.audio.filter(|_| opts.format.has_audio()) {
                Some(mut pcm) => {
                    pcm.fit_to(total, fps);
                    Some(temp_wav(&pcm)?)
                }
                None => None,
            };
            let file = AtomicFile::beside(out)?;
            let spec =
                EncodeSpec { format: opts.format, width, height, fps, audio: wav.as_ref().map(|w| w.to_path_buf()) };
            let mut encoder = Encoder::start(&ffmpeg, &spec, file.path())?;
            summary.reused_frames = feed(renderer, &mut encoder, opts.format, &opts.cancel, started, progress)?;
            encoder.finish(&opts.cancel)?;
            file.commit()?;
            summary.frames = total;
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Renders every frame into the encoder. Returns how many frames were reused.
fn feed(
    renderer: &mut Renderer,
    encoder: &mut Encoder,
    format: Format,
    cancel: &CancelToken,
    started: Instant,
    progress: &mut dyn FnMut(&Progress),
) -> Result<u64, ExportError> {
    let (width, height) = renderer.size();
    let total = renderer.timeline().frame_count();
    let len = wire_len(format, width, height);
    let mut wire = Wire::new(format, width, height);
    let mut last: Option<(u64, Frame)> = None;
    let mut reused = 0;
    for n in 0..total {
        if cancel.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        let t = renderer.timeline().frame_time(n);
        let key = renderer.frame_key(t);
        let frame = match &last {
            Some((k, f)) if *k == key => {
                reused += 1;
                f.clone()
            }
            _ => {
                let mut buf = encoder.buffer(len);
                renderer.render(t);
                wire.convert(renderer, &mut buf);
                let f = Arc::new(buf);
                if let Some((_, old)) = last.replace((key, f.clone())) {
                    encoder.give_back(old);
                }
                f
            }
        };
        if let Err(e) = encoder.send(frame) {
            return Err(if cancel.is_cancelled() { ExportError::Cancelled } else { e });
        }
        progress(&Progress::at(n + 1, total, started));
    }
    Ok(reused)
}

/// Bytes per frame on the pipe for `format`.
pub fn wire_len(format: Format, width: u32, height: u32) -> usize {
    if format.feeds_rgba() { width as usize * height as usize * 4 } else { yuv::yuv420p_len(width, height) }
}

/// Converts a rendered frame into what ffmpeg reads for `format` (see [`Format::feeds_rgba`]).
pub fn to_wire(frame: &Pixmap, format: Format, out: &mut [u8]) {
    if format.feeds_rgba() {
        yuv::unpremultiply(frame.data(), out);
    } else {
        yuv::rgba_to_yuv420p(frame.data(), frame.width(), frame.height(), out);
    }
}

/// Converts an export's frames one after the other into what ffmpeg reads, like [`to_wire`]
/// but in sequence: yuv420p frames convert only the rows the renderer redrew since the
/// previous frame (its damage).
struct Wire {
    format: Format,
    yuv: yuv::Yuv420pStream,
}

impl Wire {
    fn new(format: Format, width: u32, height: u32) -> Wire {
        Wire { format, yuv: yuv::Yuv420pStream::new(width, height) }
    }

    /// Converts the frame `renderer` rendered last; the previous call must have converted the
    /// one it rendered before (the damage is relative to that).
    fn convert(&mut self, renderer: &Renderer, out: &mut [u8]) {
        let frame = renderer.frame();
        if self.format.feeds_rgba() {
            yuv::unpremultiply(frame.data(), out);
        } else {
            self.yuv.convert(frame.data(), renderer.damage(), out);
        }
    }
}

/// Writes the frames as `frame_00000.png`, ... (numbered from 0 like `chatframe frame --at #N`).
fn png_sequence(
    renderer: &mut Renderer,
    out: &Path,
    cancel: &CancelToken,
    started: Instant,
    progress: &mut dyn FnMut(&Progress),
) -> Result<u64, ExportError> {
    let dir = AtomicDir::beside(out)?;
    let total = renderer.timeline().frame_count();
    let mut last: Option<(u64, PathBuf)> = None;
    let mut reused = 0;
    for n in 0..total {
        if cancel.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        let t = renderer.timeline().frame_time(n);
        let key = renderer.frame_key(t);
        let path = dir.path().join(format!("frame_{n:05}.png"));
        match &last {
            // Identical frame: a hard link costs no encoding and no space.
            Some((k, prev)) if *k == key => {
                reused += 1;
                std::fs::hard_link(prev, &path)
                    .or_else(|_| std::fs::copy(prev, &path).map(drop))
                    .map_err(ExportError::io(&path))?;
            }
            _ => {
                let png = renderer
                    .render(t)
                    .encode_png()
                    .map_err(|e| ExportError::Invalid(format!("cannot encode frame {n} as PNG: {e}")))?;
                std::fs::write(&path, png).map_err(ExportError::io(&path))?;
                last = Some((key, path));
            }
        }
        progress(&Progress::at(n + 1, total, started));
    }
    dir.commit()?;
    Ok(reused)
}

/// Writes the soundtrack to a temp WAV for [`EncodeSpec::audio`]; removed when dropped.
pub fn temp_wav(pcm: &Pcm) -> Result<tempfile::TempPath, ExportError> {
    let mut f = tempfile::Builder::new()
        .prefix("chatframe-audio-")
        .suffix(".wav")
        .tempfile()
        .map_err(ExportError::io(std::env::temp_dir()))?;
    let path = f.path().to_path_buf();
    let mut w = std::io::BufWriter::new(f.as_file_mut());
    pcm.write_wav(&mut w).and_then(|()| std::io::Write::flush(&mut w)).map_err(ExportError::io(path))?;
    drop(w);
    Ok(f.into_temp_path())
}

/// Renders and converts every frame into memory, for the encode-only benchmark: the floor is
/// what ffmpeg needs for these exact bytes with no rendering in the way.
pub fn prerender(renderer: &mut Renderer, format: Format) -> Vec<Frame> {
    let (width, height) = renderer.size();
    let len = wire_len(format, width, height);
    let total = renderer.timeline().frame_count();
    let mut wire = Wire::new(format, width, height);
    let mut frames: Vec<Frame> = Vec::with_capacity(total as usize);
    let mut last_key = None;
    for n in 0..total {
        let t = renderer.timeline().frame_time(n);
        let key = renderer.frame_key(t);
        if last_key == Some(key)
            && let Some(prev) = frames.last()
        {
            frames.push(prev.clone());
            continue;
        }
        let mut buf = vec![0; len];
        renderer.render(t);
        wire.convert(renderer, &mut buf);
        frames.push(Arc::new(buf));
        last_key = Some(key);
    }
    frames
}

/// Encodes frames already in memory with the exporter's exact ffmpeg settings. Returns the time
/// from starting ffmpeg to its exit: the encode-only floor an export is compared with.
pub fn encode_frames(
    ffmpeg: &Ffmpeg,
    spec: &EncodeSpec,
    frames: &[Frame],
    out: &Path,
) -> Result<Duration, ExportError> {
    let started = Instant::now();
    let mut encoder = Encoder::start(ffmpeg, spec, out)?;
    for f in frames {
        encoder.send(f.clone())?;
    }
    encoder.finish(&CancelToken::new())?;
    Ok(started.elapsed())
}
