//! A project's voice-over: one clip per spoken message, ready for the timeline
//! ([`chatframe_audio::WithVoice`]) and the mix ([`chatframe_audio::mix_with_voice`]).

use std::sync::Arc;
use std::time::Duration;

use chatframe_audio::VoiceClips;

use crate::Clip;

/// How one line was obtained, for reports and benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct LineReport {
    pub index: usize,
    pub cached: bool,
    pub elapsed: Duration,
    pub frames: usize,
}

#[derive(Debug, Clone, Default)]
pub struct VoiceTrack {
    clips: Vec<Option<Arc<[f32]>>>,
    lines: Vec<LineReport>,
}

impl VoiceTrack {
    /// No line spoken, for a project of `messages` messages.
    pub fn empty(messages: usize) -> Self {
        VoiceTrack { clips: vec![None; messages], lines: Vec::new() }
    }

    pub(crate) fn set(&mut self, index: usize, clip: Clip, cached: bool, elapsed: Duration) {
        self.lines.push(LineReport { index, cached, elapsed, frames: clip.frames() });
        self.lines.sort_by_key(|l| l.index);
        self.clips[index] = Some(clip.samples);
    }

    /// The spoken lines, in document order.
    pub fn lines(&self) -> &[LineReport] {
        &self.lines
    }
}

impl VoiceClips for VoiceTrack {
    fn clip(&self, index: usize) -> Option<&[f32]> {
        self.clips.get(index)?.as_deref()
    }
}
