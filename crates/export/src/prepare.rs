//! From a loaded project to what an export consumes: the timeline (with voice-note lengths
//! measured from the files, so notes hold as long as they play), the renderer, and the mixed
//! soundtrack. Shared by the CLI and, later, the studio, so both export the same thing.

use std::path::Path;

use chatframe_audio::{MediaLengths, NoVoice, VoiceClips, WithVoice};
use chatframe_model::{Project, Timeline};
use chatframe_render::Renderer;

use crate::{ExportError, Pcm};

/// The timeline an export uses: [`Timeline::build_with`] the real media lengths.
pub fn timeline(project: &Project, base_dir: &Path) -> Timeline {
    timeline_with_voice(project, base_dir, &NoVoice)
}

/// The timeline with voice-over: spoken lines last exactly their clips.
pub fn timeline_with_voice(project: &Project, base_dir: &Path, voice: &dyn VoiceClips) -> Timeline {
    Timeline::build_with(project, &WithVoice { media: &MediaLengths::new(base_dir), voice })
}

/// Builds the renderer and, when `with_audio`, mixes the soundtrack (skipped for formats without
/// audio, where decoding music would be wasted work).
pub fn prepare(project: Project, base_dir: &Path, with_audio: bool) -> Result<(Renderer, Option<Pcm>), ExportError> {
    prepare_with_voice(project, base_dir, with_audio, &NoVoice)
}

/// [`prepare`] with voice-over clips (from `chatframe-voice`): the picture waits for each line
/// and the soundtrack carries it, from the same timeline.
pub fn prepare_with_voice(
    project: Project,
    base_dir: &Path,
    with_audio: bool,
    voice: &dyn VoiceClips,
) -> Result<(Renderer, Option<Pcm>), ExportError> {
    let timeline = timeline_with_voice(&project, base_dir, voice);
    let audio = if with_audio {
        Some(chatframe_audio::mix_with_voice(&project, &timeline, base_dir, voice)?.into())
    } else {
        None
    };
    let renderer = Renderer::with_timeline(project, timeline, base_dir)?;
    Ok((renderer, audio))
}
