//! Built without the `playback` feature (servers, the headless `chatframe`): no sound library is
//! linked, so there is never a device and the transport keeps time on the monotonic clock.

use super::output::{AudioOutput, TrackSource};

/// No value exists: without a device library no mixer can be opened.
pub(super) type Mixer = std::convert::Infallible;

pub(super) fn open_default() -> AudioOutput {
    AudioOutput::silent("this build has no sound output (built without the `playback` feature)")
}

pub(super) fn add(mixer: &Mixer, _: TrackSource) {
    match *mixer {}
}
