//! `chatframe render`: project -> video, with a progress bar (or `--json` lines), Ctrl-C to
//! cancel cleanly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chatframe_export::{CancelToken, ExportOptions, ExportSummary, Format, Pcm, Progress};
use chatframe_model::{LoadedProject, SECOND};
use chatframe_render::Renderer;
use indicatif::{ProgressBar, ProgressStyle};

use crate::exit::InvalidInput;

#[derive(clap::Args)]
pub struct RenderArgs {
    /// The project file (`*.chatframe.json`).
    project: PathBuf,
    /// Output file (or directory for a PNG sequence).
    #[arg(short, long)]
    out: PathBuf,
    /// mp4, webm, mov (ProRes 4444 with alpha), gif, png (sequence), wav or srt; default: from
    /// the output's extension.
    #[arg(long)]
    format: Option<String>,
    /// Size and frame rate, e.g. 9x16-1080p, 16x9-720p, 1x1-4k, 9x16-1080p60.
    #[arg(long)]
    preset: Option<String>,
    /// Frames per second (overrides the project and the preset).
    #[arg(long)]
    fps: Option<u32>,
    /// Also write subtitles (one cue per message) beside the output, as OUT.srt.
    #[arg(long)]
    srt: bool,
    /// Also write the mixed soundtrack beside the output, as OUT.wav.
    #[arg(long)]
    wav: bool,
    /// Speak every text message with its sender's voice (the project's `audio.voiceOver` with
    /// voice-over on); clips come from the voice cache when made before.
    #[arg(long)]
    voice_over: bool,
    /// Where voice clips are cached (default: ~/.cache/chatframe/voice).
    #[arg(long, value_name = "DIR")]
    voice_cache: Option<PathBuf>,
    /// Also write captions beside the output, as OUT.srt and OUT.vtt: one cue per spoken line,
    /// timed to the audio (one per message without voice-over).
    #[arg(long)]
    captions: bool,
    /// Machine-readable output: one JSON line per progress update and a final result line.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RenderArgs) -> Result<()> {
    let format = match &args.format {
        Some(f) => f.parse::<Format>()?,
        None => Format::from_path(&args.out).ok_or_else(|| {
            InvalidInput(format!(
                "cannot tell the format from the output name; pass --format mp4|webm|mov|gif|png|wav|srt: {}",
                args.out.display()
            ))
        })?,
    };
    let mut loaded = crate::project::load(&args.project, args.preset.as_deref(), args.fps)?;
    let cancel = CancelToken::new();
    let handler_token = cancel.clone();
    // Ctrl-C (and SIGTERM) only raise the flags; the export loop notices between frames, stops
    // ffmpeg and deletes its temp file, so nothing half-written is left behind.
    ctrlc::set_handler(move || {
        handler_token.cancel();
    })
    .context("cannot install the Ctrl-C handler")?;

    if args.voice_over {
        loaded.project.audio.voice_over.enabled = true;
    }
    let voiced = (0..loaded.project.messages.len()).any(|i| loaded.project.is_voiced(i));
    let track = if voiced {
        crate::voice::voice_over(&loaded.project, args.voice_cache.clone(), cancel.clone(), args.json)?
    } else {
        chatframe_voice::VoiceTrack::empty(0)
    };
    let with_audio = format.has_audio() || args.wav;
    let (mut renderer, audio) =
        chatframe_export::prepare_with_voice(loaded.project, &loaded.base_dir, with_audio, &track)?;
    let mut sinks = vec![];
    if args.srt && !args.captions {
        sinks.push((Format::Srt, args.out.with_extension("srt")));
    }
    if args.wav {
        sinks.push((Format::Wav, args.out.with_extension("wav")));
    }

    let mut reporter = Reporter::new(args.json, renderer.timeline().frame_count(), format);
    let mut opts = ExportOptions::new(format);
    opts.audio = audio.clone();
    opts.cancel = cancel.clone();
    let summary = chatframe_export::export(&mut renderer, &args.out, opts, &mut |p| reporter.update(p));
    reporter.finish();
    let summary = summary?;
    let mut side_files = vec![];
    for (fmt, path) in sinks {
        let mut opts = ExportOptions::new(fmt);
        opts.audio = audio.clone();
        opts.cancel = cancel.clone();
        chatframe_export::export(&mut renderer, &path, opts, &mut |_| {})?;
        side_files.push(path);
    }
    if args.captions {
        let cues = chatframe_export::caption_cues(renderer.project(), renderer.timeline());
        for (path, text) in [
            (args.out.with_extension("srt"), chatframe_export::to_srt(&cues)),
            (args.out.with_extension("vtt"), chatframe_export::to_vtt(&cues)),
        ] {
            chatframe_export::AtomicFile::write_all(&path, |w| w.write_all(text.as_bytes()))?;
            side_files.push(path);
        }
    }
    report_done(args.json, &summary, &side_files);
    Ok(())
}

/// Builds the renderer and, for formats that carry sound, the mixed soundtrack.
pub fn prepare(loaded: LoadedProject, with_audio: bool) -> Result<(Renderer, Option<Pcm>)> {
    Ok(chatframe_export::prepare(loaded.project, &loaded.base_dir, with_audio)?)
}

/// Shows progress: an indicatif bar on a terminal, JSON lines with `--json`, nothing otherwise.
struct Reporter {
    json: bool,
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
    last: Option<Progress>,
}

/// JSON progress lines at most this often (plus the last one): enough for a UI, not a flood.
const JSON_EVERY: Duration = Duration::from_millis(250);

impl Reporter {
    fn new(json: bool, total: u64, format: Format) -> Reporter {
        let bar = (!json && format.has_video()).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {pos}/{len} frames  {per_sec}  ETA {eta}",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            bar
        });
        Reporter { json, bar, last_line: None, last: None }
    }

    fn update(&mut self, p: &Progress) {
        if let Some(bar) = &self.bar {
            bar.set_position(p.frames_done);
        }
        if self.json {
            let due = self.last_line.is_none_or(|t| t.elapsed() >= JSON_EVERY) || p.frames_done == p.total_frames;
            if due {
                self.last_line = Some(Instant::now());
                print_json(&progress_json(p));
            }
        }
        self.last = Some(p.clone());
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn progress_json(p: &Progress) -> serde_json::Value {
    serde_json::json!({
        "event": "progress",
        "frame": p.frames_done,
        "total": p.total_frames,
        "fps": (p.fps * 10.0).round() / 10.0,
        "elapsedSeconds": p.elapsed.as_secs_f64(),
        "etaSeconds": p.eta.map(|d| (d.as_secs_f64() * 10.0).round() / 10.0),
    })
}

pub(crate) fn print_json(v: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

fn report_done(json: bool, s: &ExportSummary, side_files: &[PathBuf]) {
    let secs = s.duration as f64 / SECOND as f64;
    if json {
        print_json(&serde_json::json!({
            "event": "done",
            "path": s.path,
            "format": s.format.as_str(),
            "width": s.width,
            "height": s.height,
            "fps": s.fps,
            "frames": s.frames,
            "durationSeconds": secs,
            "elapsedSeconds": s.elapsed.as_secs_f64(),
            "reusedFrames": s.reused_frames,
            "sideFiles": side_files,
        }));
    } else {
        let rate = s.frames as f64 / s.elapsed.as_secs_f64().max(1e-9);
        eprintln!(
            "wrote {} ({}x{}, {} fps, {:.2} s, {} frames in {:.1} s, {:.0} frames/s): {}",
            s.format,
            s.width,
            s.height,
            s.fps,
            secs,
            s.frames,
            s.elapsed.as_secs_f64(),
            rate,
            display(&s.path)
        );
        for f in side_files {
            eprintln!("wrote {}", display(f));
        }
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
