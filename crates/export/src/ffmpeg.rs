//! The system ffmpeg: finding it, checking its version, and running one encode fed through a
//! pipe by a writer thread.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

use crate::{CancelToken, ExportError, Format};

/// Overrides where ffmpeg is looked for (a path to the binary). Also how tests simulate a
/// machine without ffmpeg.
pub const FFMPEG_ENV: &str = "CHATFRAME_FFMPEG";

/// Oldest major version whose options (`-fps_mode`-free rawvideo input, `prores_ks` alpha,
/// `palettegen` stats) we rely on.
pub const MIN_FFMPEG_MAJOR: u32 = 4;

/// How many trailing stderr lines an error carries: enough to show the cause without flooding.
const STDERR_LINES: usize = 12;

/// A located, version-checked ffmpeg binary.
#[derive(Debug, Clone)]
pub struct Ffmpeg {
    pub path: PathBuf,
    /// e.g. `5.1.9-0+deb12u1`, or a git describe for development builds.
    pub version: String,
}

impl Ffmpeg {
    /// Finds ffmpeg: `$CHATFRAME_FFMPEG`, then next to the running executable (how a packaged
    /// app ships it), then `$PATH`. Runs `ffmpeg -version` to make sure it works and is new enough.
    pub fn locate() -> Result<Ffmpeg, ExportError> {
        if let Some(p) = std::env::var_os(FFMPEG_ENV).filter(|p| !p.is_empty()) {
            return Self::at(Path::new(&p)).map_err(|e| match e {
                ExportError::FfmpegMissing { hint } => {
                    ExportError::FfmpegMissing { hint: format!("{FFMPEG_ENV}={}: {hint}", Path::new(&p).display()) }
                }
                other => other,
            });
        }
        let name = if cfg!(windows) { "ffmpeg.exe" } else { "ffmpeg" };
        let beside_exe = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join(name)));
        let on_path = std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).collect::<Vec<_>>())
            .unwrap_or_default();
        match beside_exe.into_iter().chain(on_path).find(|p| is_executable(p)) {
            Some(path) => Self::at(&path),
            None => Err(ExportError::FfmpegMissing { hint: "not next to the executable nor on PATH".into() }),
        }
    }

    /// Uses the ffmpeg at `path`, checking that it runs and is new enough.
    pub fn at(path: &Path) -> Result<Ffmpeg, ExportError> {
        let out = Command::new(path)
            .args(["-hide_banner", "-version"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| ExportError::FfmpegMissing { hint: format!("cannot run it: {e}") })?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("ffmpeg version "))
            .and_then(|l| l.split_whitespace().next())
            .ok_or_else(|| ExportError::FfmpegMissing { hint: format!("{} is not ffmpeg", path.display()) })?
            .to_string();
        // Release builds say "5.1.9-..." (or "n6.0"); git builds say "N-112233-g..." and are new.
        let major = version.trim_start_matches('n').split(['.', '-']).next().and_then(|m| m.parse::<u32>().ok());
        if let Some(major) = major
            && major < MIN_FFMPEG_MAJOR
        {
            return Err(ExportError::FfmpegTooOld { version, needed: MIN_FFMPEG_MAJOR, path: path.to_path_buf() });
        }
        Ok(Ffmpeg { path: path.to_path_buf(), version })
    }
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// What one encode produces: frame size and rate, format, and the optional audio file to mux.
#[derive(Debug, Clone)]
pub struct EncodeSpec {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// A WAV file of exactly the video's length, muxed as the audio track.
    pub audio: Option<PathBuf>,
}

impl EncodeSpec {
    /// ffmpeg's arguments, reading raw frames on stdin and writing `out`. Public so the
    /// encode-only benchmark provably uses the very same codec settings.
    pub fn args(&self, out: &Path) -> Vec<String> {
        let mut a: Vec<String> = Vec::new();
        let mut push = |xs: &[&str]| a.extend(xs.iter().map(|s| s.to_string()));
        let pix_in = if self.format.feeds_rgba() { "rgba" } else { "yuv420p" };
        push(&["-hide_banner", "-loglevel", "error", "-y"]);
        push(&["-f", "rawvideo", "-pix_fmt", pix_in, "-s", &format!("{}x{}", self.width, self.height)]);
        push(&["-framerate", &self.fps.to_string()]);
        if !self.format.feeds_rgba() {
            // Say what the bytes are, so nothing downstream guesses BT.601.
            push(&["-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]);
        }
        push(&["-i", "pipe:0"]);
        let audio = self.audio.as_ref().filter(|_| self.format.has_audio());
        if let Some(wav) = audio {
            push(&["-i", &wav.to_string_lossy()]);
        }
        if self.format != Format::Gif {
            push(&["-map", "0:v:0"]);
            if audio.is_some() {
                push(&["-map", "1:a:0"]);
            }
        }
        let bt709 = ["-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"];
        match self.format {
            Format::Mp4 => {
                push(&["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"]);
                push(&["-profile:v", "high"]);
                push(&bt709);
                push(&["-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart", "-f", "mp4"]);
            }
            Format::Webm => {
                push(&["-c:v", "libvpx-vp9", "-deadline", "good", "-cpu-used", "5", "-row-mt", "1"]);
                push(&["-crf", "30", "-b:v", "0", "-pix_fmt", "yuv420p"]);
                push(&bt709);
                push(&["-c:a", "libopus", "-b:a", "128k", "-f", "webm"]);
            }
            Format::Mov => {
                push(&["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le"]);
                push(&["-alpha_bits", "16", "-vendor", "apl0", "-c:a", "pcm_s16le", "-f", "mov"]);
            }
            Format::Gif => {
                // One pass over the frames builds the palette, a second maps them to it; ffmpeg
                // buffers the clip in between, fine for GIF-sized clips.
                push(&["-filter_complex", "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse"]);
                push(&["-loop", "0", "-f", "gif"]);
            }
            Format::PngSequence | Format::Wav | Format::Srt => unreachable!("{} is not encoded by ffmpeg", self.format),
        }
        push(&[&out.to_string_lossy()]);
        a
    }
}

/// A frame on its way to ffmpeg. Shared, so an unchanged frame is sent again without copying.
pub type Frame = Arc<Vec<u8>>;

/// One running ffmpeg encode. Frames go through a bounded channel to a writer thread, so the
/// caller renders frame n+1 while frame n is in the pipe; stderr is drained by another thread
/// keeping the last lines for error messages.
pub struct Encoder {
    child: Child,
    frames: Option<Sender<Frame>>,
    writer: Option<JoinHandle<std::io::Result<()>>>,
    stderr: Option<JoinHandle<VecDeque<String>>>,
    /// Buffers the writer has finished with, for reuse (a 1080p frame is 3 MB; allocating one per
    /// frame costs page faults).
    recycled: Receiver<Vec<u8>>,
    recycle: Sender<Vec<u8>>,
}

/// Frames queued between the renderer and the writer thread: enough to absorb jitter, few
/// enough that memory stays small at 4K.
const QUEUE_FRAMES: usize = 4;

/// Pipe capacity: ~a third of a 1080p yuv420p frame per write instead of 64 KiB, so ffmpeg's read
/// and our write wake each other 50 times less often.
const PIPE_BYTES: i32 = 1 << 20;

impl Encoder {
    pub fn start(ffmpeg: &Ffmpeg, spec: &EncodeSpec, out: &Path) -> Result<Encoder, ExportError> {
        let mut cmd = Command::new(&ffmpeg.path);
        cmd.args(spec.args(out)).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        #[cfg(unix)]
        {
            // Own process group: a Ctrl-C in the terminal reaches only us, and we stop ffmpeg
            // ourselves, instead of ffmpeg finishing a truncated file on its own SIGINT.
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        tracing::debug!(ffmpeg = %ffmpeg.path.display(), args = ?spec.args(out), "starting ffmpeg");
        let mut child = cmd.spawn().map_err(|e| ExportError::FfmpegMissing { hint: format!("cannot run it: {e}") })?;
        let stdin = child.stdin.take().expect("stdin is piped");
        enlarge_pipe(&stdin);
        let stderr = child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::Builder::new()
            .name("ffmpeg-stderr".into())
            .spawn(move || {
                let mut tail = VecDeque::with_capacity(STDERR_LINES);
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if tail.len() == STDERR_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
                tail
            })
            .map_err(ExportError::io("ffmpeg-stderr thread"))?;
        let (tx, rx) = crossbeam_channel::bounded::<Frame>(QUEUE_FRAMES);
        let (recycle_tx, recycled) = crossbeam_channel::unbounded();
        let recycle = recycle_tx.clone();
        let writer = std::thread::Builder::new()
            .name("ffmpeg-writer".into())
            .spawn(move || write_frames(stdin, rx, recycle_tx))
            .map_err(ExportError::io("ffmpeg-writer thread"))?;
        Ok(Encoder { child, frames: Some(tx), writer: Some(writer), stderr: Some(stderr), recycled, recycle })
    }

    /// A buffer of `len` bytes to convert the next frame into, reused when possible.
    pub fn buffer(&self, len: usize) -> Vec<u8> {
        while let Ok(v) = self.recycled.try_recv() {
            if v.len() == len {
                return v;
            }
        }
        vec![0; len]
    }

    /// Returns a frame the caller no longer needs; its buffer is reused once the writer is done
    /// with it too (whichever side lets go last recycles it).
    pub fn give_back(&self, frame: Frame) {
        if let Ok(buf) = Arc::try_unwrap(frame) {
            let _ = self.recycle.send(buf);
        }
    }

    /// Queues a frame, blocking while the queue is full. Fails when ffmpeg has stopped reading.
    pub fn send(&mut self, frame: Frame) -> Result<(), ExportError> {
        let sent = self.frames.as_ref().is_some_and(|tx| tx.send(frame).is_ok());
        if sent {
            return Ok(());
        }
        // The writer hung up: ffmpeg died; its exit status and stderr say why.
        Err(self.fail())
    }

    /// Closes the input and waits for ffmpeg to finish the file (for GIF and `+faststart` that
    /// is a second pass), still honouring `cancel` meanwhile.
    pub fn finish(mut self, cancel: &CancelToken) -> Result<(), ExportError> {
        drop(self.frames.take());
        let written = self.writer.take().map(|w| w.join().unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into())));
        let status = loop {
            if cancel.is_cancelled() {
                self.kill();
                return Err(ExportError::Cancelled);
            }
            match self.child.try_wait().map_err(ExportError::io("ffmpeg"))? {
                Some(status) => break status,
                None => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        };
        let tail = self.stderr_tail();
        if !status.success() {
            return Err(ExportError::Ffmpeg { status: status.to_string(), stderr_tail: tail });
        }
        if let Some(Err(e)) = written {
            return Err(ExportError::Ffmpeg { status: format!("input pipe: {e}"), stderr_tail: tail });
        }
        Ok(())
    }

    fn kill(&mut self) {
        drop(self.frames.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }

    fn fail(&mut self) -> ExportError {
        drop(self.frames.take());
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
        ExportError::Ffmpeg { status, stderr_tail: self.stderr_tail() }
    }

    fn stderr_tail(&mut self) -> String {
        let lines = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        let text = Vec::from(lines).join(" | ");
        if text.is_empty() { "no error output".into() } else { text }
    }
}

impl Drop for Encoder {
    /// An encoder dropped on an error path must not leave ffmpeg running (or writing).
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

fn write_frames(mut stdin: ChildStdin, rx: Receiver<Frame>, recycle: Sender<Vec<u8>>) -> std::io::Result<()> {
    for frame in rx {
        stdin.write_all(&frame)?;
        if let Ok(buf) = Arc::try_unwrap(frame) {
            let _ = recycle.send(buf);
        }
    }
    stdin.flush()
}

/// Raises the pipe's capacity (Linux only; elsewhere the default stays, just slower).
fn enlarge_pipe(stdin: &ChildStdin) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let fd = stdin.as_raw_fd();
        // SAFETY: `fd` is a valid pipe descriptor owned by `stdin`, alive for this call;
        // F_SETPIPE_SZ only changes the kernel buffer size and touches no memory of ours.
        #[allow(unsafe_code)]
        let r = unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_BYTES) };
        if r < 0 {
            tracing::debug!(error = %std::io::Error::last_os_error(), "F_SETPIPE_SZ refused; keeping the default pipe size");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (stdin, PIPE_BYTES);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp4_args_feed_yuv_and_ask_for_faststart() {
        let spec = EncodeSpec { format: Format::Mp4, width: 180, height: 320, fps: 30, audio: Some("a.wav".into()) };
        let args = spec.args(Path::new("out.mp4")).join(" ");
        assert!(args.contains("-pix_fmt yuv420p -s 180x320 -framerate 30"), "{args}");
        assert!(args.contains("-map 1:a:0") && args.contains("+faststart") && args.contains("libx264"), "{args}");
        assert!(args.ends_with("out.mp4"));
    }

    #[test]
    fn alpha_and_gif_are_fed_rgba_and_gif_has_no_audio() {
        let gif = EncodeSpec { format: Format::Gif, width: 2, height: 2, fps: 10, audio: Some("a.wav".into()) };
        let args = gif.args(Path::new("o.gif")).join(" ");
        assert!(args.contains("-pix_fmt rgba") && !args.contains("a.wav") && args.contains("palettegen"));
        let mov = EncodeSpec { format: Format::Mov, width: 2, height: 2, fps: 10, audio: None };
        assert!(mov.args(Path::new("o.mov")).join(" ").contains("yuva444p10le"));
    }

    #[test]
    fn a_missing_binary_is_ffmpeg_missing() {
        let e = Ffmpeg::at(Path::new("/nonexistent/ffmpeg")).unwrap_err();
        assert_eq!(e.code(), "FFMPEG_MISSING");
    }
}
