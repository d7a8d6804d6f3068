//! Playback with sound: the session's soundtrack — the export's own mix (send/receive and
//! per-message sounds, voice notes, music with volume, fades and loop) — played through rodio
//! (the `playback` feature; without it every output is silent and no sound library is linked).
//! The picture follows the audio clock: the position is the frames the device has actually
//! pulled. Without a device (CI, containers) the same transport runs on the monotonic clock and
//! says it is silent; playback never fails for want of speakers.

#[cfg_attr(feature = "playback", path = "device.rs")]
#[cfg_attr(not(feature = "playback"), path = "no_device.rs")]
mod device;
mod output;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chatframe_audio::SAMPLE_RATE;
use chatframe_model::{Micros, Project, Timeline};
use serde::{Deserialize, Serialize};

use output::TrackClock;
pub use output::{AUDIO_ENV, AudioOutput};

use crate::StudioError;

/// A project's mixed soundtrack at one revision (interleaved stereo f32 at 48 kHz).
#[derive(Debug)]
pub struct Soundtrack {
    pub project: String,
    pub revision: u64,
    pub duration_us: Micros,
    samples: Arc<Vec<f32>>,
}

impl Soundtrack {
    /// Mixes exactly what an export would: `timeline` is the export's (the session keeps one,
    /// voice notes held as long as they play, spoken lines as long as their clips) and the same
    /// voice-over clips, so what the user hears is what the video gets.
    pub fn mix(
        project_id: &str,
        revision: u64,
        project: &Project,
        timeline: &Timeline,
        base_dir: &Path,
        voice: &dyn chatframe_audio::VoiceClips,
    ) -> Result<Soundtrack, StudioError> {
        let mix = chatframe_audio::mix_with_voice(project, timeline, base_dir, voice)?;
        Ok(Soundtrack {
            project: project_id.to_string(),
            revision,
            duration_us: timeline.duration,
            samples: Arc::new(mix.samples),
        })
    }

    /// A mono clip (a voice sample) as a soundtrack of its own, centred, at `volume`.
    pub fn from_mono(id: &str, clip: &[f32], volume: f32) -> Soundtrack {
        let gain = if volume.is_finite() { volume.clamp(0.0, 4.0) } else { 1.0 };
        let samples: Vec<f32> = clip.iter().flat_map(|&s| [s * gain, s * gain]).collect();
        let duration_us = (samples.len() as u64 / 2 * 1_000_000 / u64::from(chatframe_audio::SAMPLE_RATE)) as Micros;
        Soundtrack { project: id.to_string(), revision: 0, duration_us, samples: Arc::new(samples) }
    }

    pub fn frames(&self) -> u64 {
        (self.samples.len() / 2) as u64
    }
}

/// What the transport is doing, as the UI polls it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlaybackState {
    /// The project whose soundtrack is loaded (`None`: nothing is).
    pub project: Option<String>,
    pub playing: bool,
    /// Where the picture should be: the audio device's position (or the monotonic clock when
    /// silent), in microseconds.
    pub position_us: Micros,
    pub duration_us: Micros,
    /// The document revision the soundtrack was mixed from.
    pub revision: u64,
    /// True when no sound is coming out (no device, or sound turned off).
    pub silent: bool,
    /// Why it is silent, for a tooltip.
    pub silent_reason: Option<String>,
}

fn frame_of(us: Micros) -> u64 {
    (i128::from(us.max(0)) * i128::from(SAMPLE_RATE) / 1_000_000) as u64
}

fn us_of(frames: u64) -> Micros {
    (u128::from(frames) * 1_000_000 / u128::from(SAMPLE_RATE)) as Micros
}

/// The device stopped pulling (unplugged, suspended) for this long while playing: carry on with
/// the monotonic clock rather than freezing the picture.
const STALL: Duration = Duration::from_millis(750);

struct Loaded {
    track: Arc<Soundtrack>,
    /// The device's clock; `None` when silent (or after the device stalled).
    device: Option<Arc<TrackClock>>,
    playing: bool,
    /// The monotonic clock: the position at `anchor_at`.
    anchor_us: Micros,
    anchor_at: Instant,
    /// Last reported position while playing: the clock never runs backwards between seeks.
    last_us: Micros,
    last_consumed: u64,
    last_progress: Instant,
}

impl Loaded {
    fn raw_position(&self) -> Micros {
        match &self.device {
            Some(clock) => us_of(clock.position()),
            None if self.playing => self.anchor_us + self.anchor_at.elapsed().as_micros() as Micros,
            None => self.anchor_us,
        }
    }

    fn set_position(&mut self, us: Micros) {
        let us = us.clamp(0, self.track.duration_us);
        self.anchor_us = us;
        self.anchor_at = Instant::now();
        self.last_us = us;
        if let Some(clock) = &self.device {
            clock.seek(frame_of(us));
            self.last_consumed = clock.consumed();
        }
        self.last_progress = Instant::now();
    }
}

/// The one transport of the app: at most one soundtrack plays at a time, like any media player.
pub struct Playback {
    output: Option<AudioOutput>,
    open: fn() -> AudioOutput,
    current: Option<Loaded>,
    /// Set when the device stopped mid-play: reported until the next soundtrack is loaded.
    stalled: Option<String>,
}

impl std::fmt::Debug for Playback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playback").field("output", &self.output).finish_non_exhaustive()
    }
}

impl Default for Playback {
    fn default() -> Self {
        Playback::new()
    }
}

impl Playback {
    /// Plays through the default device, opened on the first play (opening a device can take a
    /// moment and should not slow down starting the app).
    pub fn new() -> Playback {
        Playback { output: None, open: AudioOutput::open_default, current: None, stalled: None }
    }

    /// Plays through `output` (tests: a silent one, or a device configured by the test).
    pub fn with_output(output: AudioOutput) -> Playback {
        Playback { output: Some(output), open: || AudioOutput::silent("unused"), current: None, stalled: None }
    }

    fn output(&mut self) -> &AudioOutput {
        let open = self.open;
        self.output.get_or_insert_with(open)
    }

    /// Plays `track` from `from` (or from where it was; from the start when it had ended).
    /// Loading another project's soundtrack, or a newer revision, replaces what was loaded.
    pub fn play(&mut self, track: Arc<Soundtrack>, from: Option<Micros>) -> PlaybackState {
        let same = self.current.as_ref().is_some_and(|c| c.track.project == track.project);
        let reuse = same && self.current.as_ref().is_some_and(|c| c.track.revision == track.revision);
        let previous = self.current.as_ref().map(|c| c.raw_position());
        if !reuse {
            self.unload();
            self.stalled = None;
            let device = self.output().start(track.samples.clone(), 0);
            let now = Instant::now();
            self.current = Some(Loaded {
                track,
                device,
                playing: false,
                anchor_us: 0,
                anchor_at: now,
                last_us: 0,
                last_consumed: 0,
                last_progress: now,
            });
        }
        let c = self.current.as_mut().expect("loaded above");
        let mut at = from.or(if same { previous } else { None }).unwrap_or(0);
        if at >= c.track.duration_us {
            at = 0;
        }
        c.set_position(at);
        c.playing = c.track.duration_us > 0;
        if let Some(clock) = &c.device {
            clock.set_paused(!c.playing);
        }
        self.snapshot()
    }

    /// Pauses `project` where it is (no-op when it is not the one loaded).
    pub fn pause(&mut self, project: &str) -> PlaybackState {
        if let Some(c) = self.current.as_mut().filter(|c| c.track.project == project) {
            let at = c.raw_position().max(if c.playing { c.last_us } else { 0 });
            c.playing = false;
            if let Some(clock) = &c.device {
                clock.set_paused(true);
            }
            c.set_position(at);
        }
        self.state_of(project)
    }

    /// Moves the play head of `project`, playing or not.
    pub fn seek(&mut self, project: &str, t: Micros) -> PlaybackState {
        if let Some(c) = self.current.as_mut().filter(|c| c.track.project == project) {
            c.set_position(t);
        }
        self.state_of(project)
    }

    /// Stops and forgets `project`'s soundtrack: its session closed or its document changed
    /// (the next play re-mixes the new revision).
    pub fn stop(&mut self, project: &str) {
        if self.current.as_ref().is_some_and(|c| c.track.project == project) {
            self.unload();
        }
    }

    fn unload(&mut self) {
        if let Some(clock) = self.current.take().and_then(|c| c.device) {
            clock.stop();
        }
    }

    /// The transport as seen by `project`'s editor. Reaching the end pauses there.
    pub fn state_of(&mut self, project: &str) -> PlaybackState {
        if self.current.as_ref().is_some_and(|c| c.track.project == project) {
            return self.snapshot();
        }
        let mut s = self.idle_state();
        s.project = None;
        s
    }

    fn idle_state(&mut self) -> PlaybackState {
        let (silent, silent_reason) = match &self.output {
            Some(o) => (o.is_silent(), o.silent_reason().map(str::to_string)),
            None => (false, None),
        };
        PlaybackState {
            project: None,
            playing: false,
            position_us: 0,
            duration_us: 0,
            revision: 0,
            silent,
            silent_reason,
        }
    }

    fn snapshot(&mut self) -> PlaybackState {
        let mut state = self.idle_state();
        let Some(c) = self.current.as_mut() else { return state };
        // A device that stopped pulling must not freeze the picture: go on without sound.
        if let (Some(clock), true) = (&c.device, c.playing) {
            let consumed = clock.consumed();
            if consumed != c.last_consumed {
                c.last_consumed = consumed;
                c.last_progress = Instant::now();
            } else if !clock.at_end() && c.last_progress.elapsed() > STALL {
                tracing::warn!("the audio device stopped pulling samples; playing on without sound");
                let at = us_of(clock.position());
                clock.stop();
                c.device = None;
                c.anchor_us = at;
                c.anchor_at = c.last_progress;
                self.stalled = Some("the audio device stopped".into());
            }
        }
        let mut position = c.raw_position().clamp(0, c.track.duration_us);
        if c.playing {
            position = position.max(c.last_us);
            c.last_us = position;
            if position >= c.track.duration_us {
                c.playing = false;
                if let Some(clock) = &c.device {
                    clock.set_paused(true);
                }
                c.anchor_us = c.track.duration_us;
            }
        }
        state.project = Some(c.track.project.clone());
        state.playing = c.playing;
        state.position_us = position;
        state.duration_us = c.track.duration_us;
        state.revision = c.track.revision;
        state.silent = c.device.is_none();
        if let Some(reason) = &self.stalled {
            state.silent_reason = Some(reason.clone());
        }
        state
    }

    /// What the device has pulled of the loaded soundtrack (`None` when silent).
    pub fn device_consumed_us(&self) -> Option<Micros> {
        self.current.as_ref()?.device.as_ref().map(|c| us_of(c.consumed()))
    }

    /// Whether sound comes out (opens the device if not yet done).
    pub fn is_silent(&mut self) -> bool {
        self.output().is_silent()
    }
}
