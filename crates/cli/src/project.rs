//! Loading projects for the commands, `chatframe new` and `chatframe schema`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chatframe_export::{AtomicFile, Preset};
use chatframe_model::{Appearance, LoadedProject, ModelError, Platform, load_project, starter_project};

use crate::exit::InvalidInput;

/// Loads and validates a project, applies canvas overrides, and checks that its media exist, so
/// every command fails on bad input before any output is started.
pub fn load(path: &Path, preset: Option<&str>, fps: Option<u32>) -> Result<LoadedProject> {
    let mut loaded = load_project(path).map_err(|e| match e {
        // Already names the file.
        ModelError::Read { .. } => anyhow::Error::new(e),
        e => anyhow::Error::new(e).context(path.display().to_string()),
    })?;
    if let Some(preset) = preset {
        let preset: Preset = preset.parse()?;
        preset.apply(&mut loaded.project.canvas);
    }
    if let Some(fps) = fps {
        loaded.project.canvas.fps = fps;
    }
    if preset.is_some() || fps.is_some() {
        // Overrides go through the same checks as the file (--fps 1000 is as wrong as "fps": 1000).
        loaded.project.validate().context("with the command-line overrides")?;
    }
    loaded.project.check_media(&loaded.base_dir).with_context(|| path.display().to_string())?;
    Ok(loaded)
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// Where to write the project (`*.chatframe.json`).
    out: PathBuf,
    /// The chat app to imitate.
    #[arg(long, default_value = "imessage", value_parser = parse_platform)]
    platform: Platform,
    /// Dark appearance.
    #[arg(long)]
    dark: bool,
    /// Project name (defaults to the file name).
    #[arg(long)]
    name: Option<String>,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    Platform::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(s)).ok_or_else(|| {
        let names: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
        format!("unknown platform {s:?} (one of {})", names.join(", "))
    })
}

pub fn new(args: NewArgs) -> Result<()> {
    if args.out.exists() && !args.force {
        return Err(InvalidInput(format!("{} already exists (use --force to replace it)", args.out.display())).into());
    }
    let name = args.name.unwrap_or_else(|| {
        let file = args.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = file.trim_end_matches(".json").trim_end_matches(".chatframe");
        if stem.is_empty() { "Untitled".into() } else { stem.to_string() }
    });
    let mut project = starter_project(&name);
    project.theme.platform = args.platform;
    if args.dark {
        project.theme.appearance = Appearance::Dark;
    }
    let mut json = project.to_json_pretty();
    json.push('\n');
    AtomicFile::write_all(&args.out, |w| w.write_all(json.as_bytes()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

pub fn schema() -> Result<()> {
    let text = serde_json::to_string_pretty(&chatframe_model::json_schema())?;
    println!("{text}");
    Ok(())
}
