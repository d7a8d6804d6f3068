//! `chatframe frame`: one frame as a PNG — the same pixels the video has at that time.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chatframe_export::AtomicFile;
use chatframe_model::{MS, SECOND};

use crate::exit::InvalidInput;
use crate::timearg::At;

#[derive(clap::Args)]
pub struct FrameArgs {
    /// The project file (`*.chatframe.json`).
    project: PathBuf,
    /// When: 3.2s, 3200ms, 1:02.5, or a frame number like #90.
    #[arg(long, allow_hyphen_values = true)]
    at: At,
    /// The PNG to write.
    #[arg(short, long)]
    out: PathBuf,
    /// Size preset, e.g. 9x16-1080p (as for `render`).
    #[arg(long)]
    preset: Option<String>,
    /// Frames per second (matters for frame numbers).
    #[arg(long)]
    fps: Option<u32>,
}

pub fn run(args: FrameArgs) -> Result<()> {
    let ext = args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("png") {
        return Err(
            InvalidInput(format!("frames are written as PNG; name the output *.png: {}", args.out.display())).into()
        );
    }
    let loaded = crate::project::load(&args.project, args.preset.as_deref(), args.fps)?;
    let (mut renderer, _) = crate::render::prepare(loaded, false)?;
    let tl = renderer.timeline();
    let secs = |t: i64| format!("{}.{:03}s", t / SECOND, (t % SECOND) / MS);
    let t = match args.at {
        At::Frame(n) if n >= tl.frame_count() => {
            return Err(InvalidInput(format!(
                "--at #{n}: the video has {} frames (#0 to #{})",
                tl.frame_count(),
                tl.frame_count() - 1
            ))
            .into());
        }
        At::Frame(n) => tl.frame_time(n),
        At::Time(t) if t >= tl.duration => {
            return Err(InvalidInput(format!(
                "--at {}: past the end of the video ({} long)",
                secs(t),
                secs(tl.duration)
            ))
            .into());
        }
        At::Time(t) => t,
    };
    let png = renderer.render(t).encode_png().context("encoding the PNG")?;
    AtomicFile::write_all(&args.out, |w| w.write_all(&png))?;
    eprintln!("wrote frame at {}: {}", secs(t), args.out.display());
    Ok(())
}
