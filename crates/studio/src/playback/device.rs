//! The default output device through rodio (the `playback` feature).

use std::num::NonZero;
use std::time::Duration;

use chatframe_audio::{CHANNELS, SAMPLE_RATE};

use super::output::{AudioOutput, TrackSource};

pub(super) type Mixer = rodio::mixer::Mixer;

/// Opens the default device on a thread of its own (cpal streams are not `Send` on every
/// platform, so the stream stays on the thread that opened it); silent when there is none.
pub(super) fn open_default() -> AudioOutput {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<Mixer, String>>();
    let (keep_tx, keep_rx) = std::sync::mpsc::channel::<()>();
    let spawned = std::thread::Builder::new().name("chatframe-audio-out".into()).spawn(move || {
        match rodio::DeviceSinkBuilder::open_default_sink() {
            Ok(mut sink) => {
                sink.log_on_drop(false);
                let _ = ready_tx.send(Ok(sink.mixer().clone()));
                // Blocks until the AudioOutput is dropped (the sender goes away).
                let _ = keep_rx.recv();
                drop(sink);
            }
            Err(e) => {
                let _ = ready_tx.send(Err(e.to_string()));
            }
        }
    });
    if let Err(e) = spawned {
        return AudioOutput::silent(format!("cannot start the audio thread: {e}"));
    }
    match ready_rx.recv_timeout(Duration::from_secs(5)) {
        Ok(Ok(mixer)) => AudioOutput::on_device(mixer, keep_tx),
        Ok(Err(e)) => {
            tracing::info!("no audio output, playback is silent: {e}");
            AudioOutput::silent(format!("no audio device: {e}"))
        }
        Err(_) => AudioOutput::silent("the audio device did not answer"),
    }
}

pub(super) fn add(mixer: &Mixer, source: TrackSource) {
    mixer.add(source);
}

impl rodio::Source for TrackSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        NonZero::new(CHANNELS).expect("stereo")
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        NonZero::new(SAMPLE_RATE).expect("48 kHz")
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}
