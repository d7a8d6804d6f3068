//! `chatframe render --voice-over`: the project's lines voiced through the clip cache before the
//! export, with a line counter on a terminal and JSON lines with `--json`.

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result};
use chatframe_model::Project;
use chatframe_voice::{CancelToken, ClipCache, Engines, GenerateOptions, LineProgress, VoiceTrack, generate};
use indicatif::{ProgressBar, ProgressStyle};

/// Voices `project`'s spoken lines; clips come from `cache_dir` (default: the user cache) when
/// they were made before.
pub fn voice_over(
    project: &Project,
    cache_dir: Option<PathBuf>,
    cancel: CancelToken,
    json: bool,
) -> Result<VoiceTrack> {
    let dir = match cache_dir.or_else(ClipCache::default_dir) {
        Some(d) => d,
        None => anyhow::bail!("no cache directory for voice clips (HOME is not set); pass --voice-cache DIR"),
    };
    let cache = ClipCache::new(dir);
    let engines = Engines::detect();
    let bar = Mutex::new(None::<ProgressBar>);
    let progress = |p: &LineProgress| {
        if json {
            crate::render::print_json(&serde_json::json!({
                "event": "voice",
                "message": p.index,
                "done": p.done,
                "total": p.total,
                "cached": p.cached,
                "seconds": p.elapsed.as_secs_f64(),
            }));
            return;
        }
        let mut bar = bar.lock().expect("progress is not reentrant");
        let bar = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(p.total as u64);
            b.set_style(
                ProgressStyle::with_template("voice-over {pos}/{len} lines [{wide_bar}] {msg}")
                    .expect("static template")
                    .progress_chars("=> "),
            );
            b
        });
        bar.set_position(p.done as u64);
        let how = if p.cached { "cached" } else { "spoken" };
        bar.set_message(format!("messages[{}] {how} in {:.2} s", p.index, p.elapsed.as_secs_f64()));
    };
    let opts = GenerateOptions { cancel, threads: 0, progress: Some(&progress) };
    let track = generate(project, &engines, &cache, &opts).context("voice-over")?;
    if let Some(b) = bar.into_inner().expect("threads joined") {
        b.finish_and_clear();
    }
    let spoken = track.lines().iter().filter(|l| !l.cached).count();
    if !json && !track.lines().is_empty() {
        eprintln!(
            "voice-over: {} lines ({} synthesised, {} from the cache in {})",
            track.lines().len(),
            spoken,
            track.lines().len() - spoken,
            cache.dir().display()
        );
    }
    Ok(track)
}
