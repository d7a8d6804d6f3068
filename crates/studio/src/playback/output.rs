//! The audio output: the default device when there is one (`device.rs`, rodio, with the
//! `playback` feature), and the source that plays a soundtrack while counting the frames the
//! device actually pulls — the clock the picture follows.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatframe_audio::SAMPLE_RATE;

use super::device::{self, Mixer};

/// Set `CHATFRAME_AUDIO=off` to play without sound (tests on a machine with speakers, or a user
/// whose device misbehaves): the clock then runs on the monotonic clock, as without a device.
pub const AUDIO_ENV: &str = "CHATFRAME_AUDIO";

/// Where soundtracks play: a device's mixer, or nowhere (the transport then keeps time itself).
pub struct AudioOutput {
    mixer: Option<Mixer>,
    /// Why there is no sound, for the UI ("no audio device: ...").
    silent_reason: Option<String>,
    /// Dropping this ends the thread that owns the device stream (cpal streams are not `Send`
    /// on every platform, so the stream stays on the thread that opened it).
    _keep_open: Option<std::sync::mpsc::Sender<()>>,
}

impl std::fmt::Debug for AudioOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioOutput")
            .field("device", &self.mixer.is_some())
            .field("silent", &self.silent_reason)
            .finish()
    }
}

impl AudioOutput {
    /// No device: playback runs on the monotonic clock and reports itself silent.
    pub fn silent(reason: impl Into<String>) -> AudioOutput {
        AudioOutput { mixer: None, silent_reason: Some(reason.into()), _keep_open: None }
    }

    /// The system's default output device, or [`AudioOutput::silent`] when there is none (CI,
    /// containers, a headless server) or `CHATFRAME_AUDIO=off`. Never fails.
    pub fn open_default() -> AudioOutput {
        if std::env::var(AUDIO_ENV).is_ok_and(|v| v == "off" || v == "0") {
            return AudioOutput::silent(format!("sound is off ({AUDIO_ENV}=off)"));
        }
        device::open_default()
    }

    /// Sound through a device's mixer; `keep_open` ends the thread that owns the device stream
    /// when dropped.
    #[cfg_attr(not(feature = "playback"), allow(dead_code))]
    pub(super) fn on_device(mixer: Mixer, keep_open: std::sync::mpsc::Sender<()>) -> AudioOutput {
        AudioOutput { mixer: Some(mixer), silent_reason: None, _keep_open: Some(keep_open) }
    }

    pub fn is_silent(&self) -> bool {
        self.mixer.is_none()
    }

    pub fn silent_reason(&self) -> Option<&str> {
        self.silent_reason.as_deref()
    }

    /// Starts `samples` (interleaved stereo at 48 kHz) on the device, paused at `start_frame`.
    /// `None` when silent.
    pub(crate) fn start(&self, samples: Arc<Vec<f32>>, start_frame: u64) -> Option<Arc<TrackClock>> {
        let mixer = self.mixer.as_ref()?;
        let (source, clock) = TrackSource::new(samples, start_frame);
        device::add(mixer, source);
        Some(clock)
    }
}

/// Shared between the audio thread (the source writes) and the transport (reads). Atomics only:
/// the audio callback must never wait on a lock.
#[derive(Debug)]
pub(crate) struct TrackClock {
    epoch: Instant,
    total: u64,
    /// Frames the device has pulled from the soundtrack: the authoritative position.
    consumed: AtomicU64,
    /// Where the current burst of pulls started (frames, and ns since `epoch`): the device pulls
    /// a buffer (~50 ms) at once, so between bursts the position is interpolated from here.
    mark_frames: AtomicU64,
    mark_ns: AtomicU64,
    /// A seek the audio thread applies at its next sample (`u64::MAX`: none).
    seek_to: AtomicU64,
    paused: AtomicBool,
    stopped: AtomicBool,
}

const NO_SEEK: u64 = u64::MAX;
/// A gap this long between pulls means the device started a new buffer.
const BURST_GAP: Duration = Duration::from_millis(3);
/// Interpolation never runs further than this ahead of what was actually pulled.
const MAX_LEAD_FRAMES: u64 = SAMPLE_RATE as u64 / 5;

impl TrackClock {
    fn new(start: u64, total: u64) -> TrackClock {
        let start = start.min(total);
        TrackClock {
            epoch: Instant::now(),
            total,
            consumed: AtomicU64::new(start),
            mark_frames: AtomicU64::new(start),
            mark_ns: AtomicU64::new(0),
            seek_to: AtomicU64::new(NO_SEEK),
            paused: AtomicBool::new(true),
            stopped: AtomicBool::new(false),
        }
    }

    pub(super) fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn mark(&self, frames: u64) {
        self.mark_ns.store(self.now_ns(), Ordering::Release);
        self.mark_frames.store(frames, Ordering::Release);
    }

    pub fn set_paused(&self, paused: bool) {
        if !paused {
            self.mark(self.consumed.load(Ordering::Acquire));
        }
        self.paused.store(paused, Ordering::Release);
    }

    pub fn seek(&self, frame: u64) {
        let frame = frame.min(self.total);
        self.seek_to.store(frame, Ordering::Release);
        self.consumed.store(frame, Ordering::Release);
        self.mark(frame);
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// Frames the device has consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed.load(Ordering::Acquire)
    }

    /// The position in frames for the picture: the pulled frames, interpolated on the monotonic
    /// clock between the device's bursts, never ahead of what was pulled.
    pub fn position(&self) -> u64 {
        let consumed = self.consumed();
        if self.paused.load(Ordering::Acquire) {
            return consumed;
        }
        let mark = self.mark_frames.load(Ordering::Acquire);
        self.interpolate(self.now_ns()).min(consumed).min(mark + MAX_LEAD_FRAMES).min(self.total)
    }

    fn interpolate(&self, now_ns: u64) -> u64 {
        let mark = self.mark_frames.load(Ordering::Acquire);
        let since = now_ns.saturating_sub(self.mark_ns.load(Ordering::Acquire));
        mark + (u128::from(since) * u128::from(SAMPLE_RATE) / 1_000_000_000) as u64
    }

    pub fn at_end(&self) -> bool {
        self.consumed() >= self.total
    }
}

/// The soundtrack as a rodio source. Outputs silence while paused or past the end (so the mixer
/// keeps it and play/seek need no re-adding) and ends only when stopped.
pub(super) struct TrackSource {
    samples: Arc<Vec<f32>>,
    clock: Arc<TrackClock>,
    /// Next sample, interleaved (0 = left, 1 = right of frame 0).
    index: usize,
    frames_since_check: u32,
    last_check_ns: u64,
}

impl TrackSource {
    pub(super) fn new(samples: Arc<Vec<f32>>, start_frame: u64) -> (TrackSource, Arc<TrackClock>) {
        let clock = Arc::new(TrackClock::new(start_frame, (samples.len() / 2) as u64));
        let source = TrackSource { samples, clock: clock.clone(), index: 0, frames_since_check: 0, last_check_ns: 0 };
        (source, clock)
    }

    fn on_new_frame(&mut self) {
        // Checking the time every 32 frames (0.7 ms) is cheap and finds every burst start.
        self.frames_since_check += 1;
        if self.frames_since_check < 32 {
            return;
        }
        self.frames_since_check = 0;
        let c = &self.clock;
        let now = c.now_ns();
        let frame = (self.index / 2) as u64;
        let gap = now.saturating_sub(self.last_check_ns);
        self.last_check_ns = now;
        // A new burst starts: what was pulled before is now in the device. A device that pulls
        // continuously never pauses, so also re-anchor when the estimate falls far behind.
        let behind = frame.saturating_sub(c.interpolate(now));
        if gap > BURST_GAP.as_nanos() as u64 || behind > MAX_LEAD_FRAMES {
            c.mark_ns.store(now, Ordering::Release);
            c.mark_frames.store(frame.saturating_sub(32), Ordering::Release);
        }
    }
}

impl Iterator for TrackSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        let c = &self.clock;
        if c.stopped.load(Ordering::Relaxed) {
            return None;
        }
        // Seeks and pauses take effect on frame boundaries so the channels never swap.
        if self.index.is_multiple_of(2) {
            let seek = c.seek_to.swap(NO_SEEK, Ordering::AcqRel);
            if seek != NO_SEEK {
                self.index = (seek as usize * 2).min(self.samples.len());
            }
            if c.paused.load(Ordering::Relaxed) || self.index >= self.samples.len() {
                return Some(0.0);
            }
            self.on_new_frame();
        }
        let v = self.samples.get(self.index).copied().unwrap_or(0.0);
        self.index += 1;
        if self.index.is_multiple_of(2) {
            self.clock.consumed.store((self.index / 2) as u64, Ordering::Release);
        }
        Some(v)
    }
}
