//! `chatframe bench-encode` (hidden): the encode-only floor of `chatframe render`. Renders every
//! frame into memory first, then times ffmpeg encoding exactly those bytes with exactly the
//! export's arguments ([`EncodeSpec::args`]) and the same soundtrack.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use chatframe_export::{EncodeSpec, Ffmpeg, Format, encode_frames, prerender, temp_wav};

#[derive(clap::Args)]
pub struct BenchArgs {
    project: PathBuf,
    #[arg(long, default_value = "mp4")]
    format: String,
    #[arg(long)]
    preset: Option<String>,
    #[arg(long)]
    fps: Option<u32>,
    /// Encode this many times and report the fastest (the floor is a minimum).
    #[arg(long, default_value_t = 1)]
    runs: u32,
}

pub fn run(args: BenchArgs) -> Result<()> {
    let format: Format = args.format.parse()?;
    anyhow::ensure!(format.uses_ffmpeg(), "bench-encode measures ffmpeg formats (mp4, webm, mov, gif)");
    let loaded = crate::project::load(&args.project, args.preset.as_deref(), args.fps)?;
    let (mut renderer, audio) = crate::render::prepare(loaded, format.has_audio())?;
    let ffmpeg = Ffmpeg::locate()?;
    let (width, height) = renderer.size();
    let fps = renderer.timeline().fps;
    let total = renderer.timeline().frame_count();

    let started = Instant::now();
    let frames = prerender(&mut renderer, format);
    let prerender_s = started.elapsed().as_secs_f64();
    let wav = match audio {
        Some(mut pcm) => {
            pcm.fit_to(total, fps);
            Some(temp_wav(&pcm)?)
        }
        None => None,
    };
    let spec = EncodeSpec { format, width, height, fps, audio: wav.as_ref().map(|w| w.to_path_buf()) };
    let out = tempfile::Builder::new().suffix(&format!(".{}", format.as_str())).tempfile()?.into_temp_path();
    let mut best = f64::INFINITY;
    for _ in 0..args.runs.max(1) {
        best = best.min(encode_frames(&ffmpeg, &spec, &frames, &out)?.as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({
            "format": format.as_str(),
            "width": width,
            "height": height,
            "fps": fps,
            "frames": total,
            "prerenderSeconds": prerender_s,
            "encodeSeconds": best,
            "encodeFps": total as f64 / best,
        })
    );
    Ok(())
}
