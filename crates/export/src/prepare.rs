//! From a loaded project to what an export consumes: the timeline (with voice-note lengths
//! measured from the files, so notes hold as long as they play), the renderer, and the mixed
//! soundtrack. Shared by the CLI and, later, the studio, so both export the same thing.

use std::path::Path;

use chatframe_audio::MediaLengths;
use chatframe_model::{Project, Timeline};
use chatframe_render::Renderer;

use crate::{ExportError, Pcm};

/// The timeline an export uses: [`Timeline::build_with`] the real media lengths.
pub fn timeline(project: &Project, base_dir: &Path) -> Timeline {
    Timeline::build_with(project, &MediaLengths::new(base_dir))
}

/// Builds the renderer and, when `with_audio`, mixes the soundtrack (skipped for formats without
/// audio, where decoding music would be wasted work).
pub fn prepare(project: Project, base_dir: &Path, with_audio: bool) -> Result<(Renderer, Option<Pcm>), ExportError> {
    let timeline = timeline(&project, base_dir);
    let audio = if with_audio { Some(chatframe_audio::mix(&project, &timeline, base_dir)?.into()) } else { None };
    let renderer = Renderer::with_timeline(project, timeline, base_dir)?;
    Ok((renderer, audio))
}
