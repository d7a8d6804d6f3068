//! Integration tests of the renderer: golden images of every look, behaviour of the scene
//! (scrolling, animation, caching keys) and bad media.

mod behaviour;
mod captions;
mod damage;
mod goldens;
mod stage;

use std::path::PathBuf;

use chatframe_model::{Appearance, Platform, Project, load_project};

pub fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// A conversation exercising each feature once: date line, both sides, grouping, emoji, a photo,
/// reactions, a receipt and typing. Small canvas so goldens stay small and tests fast.
pub fn fixture(platform: Platform, appearance: Appearance, group: bool) -> Project {
    let name = if group { "whatsapp-group" } else { "imessage-story" };
    let mut p = load_project(&samples_dir().join(format!("{name}.chatframe.json"))).unwrap().project;
    p.theme.platform = platform;
    p.theme.appearance = appearance;
    p.canvas.width = 360;
    p.canvas.height = 640;
    p
}
