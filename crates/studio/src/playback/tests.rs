//! The transport's clock and state machine, on the monotonic clock (no device) and on a real
//! rodio output: ALSA's `file` plugin over its `null` device, configured by a private alsa.conf,
//! so the test hears what was played by reading the file back.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use super::*;

const MS: Micros = 1000;

fn soundtrack(id: &str, revision: u64) -> Arc<Soundtrack> {
    let project = chatframe_model::starter_project("Playback");
    let dir = std::env::temp_dir();
    let timeline = chatframe_export::timeline(&project, &dir);
    Arc::new(
        Soundtrack::mix(id, revision, &project, &timeline, &dir, &chatframe_audio::NoVoice)
            .expect("the starter project mixes"),
    )
}

fn silent() -> Playback {
    Playback::with_output(AudioOutput::silent("test"))
}

fn assert_near(what: &str, got: Micros, want: Micros, tolerance: Micros) {
    assert!((got - want).abs() <= tolerance, "{what}: {} ms, expected {} ms ± {}", got / MS, want / MS, tolerance / MS);
}

#[test]
fn without_a_device_playback_runs_on_the_monotonic_clock_and_says_so() {
    let mut p = silent();
    let track = soundtrack("a", 1);
    let s = p.play(track.clone(), None);
    assert!(s.playing && s.silent, "{s:?}");
    assert_eq!(s.silent_reason.as_deref(), Some("test"));
    assert_eq!(s.duration_us, track.duration_us);
    sleep(Duration::from_millis(300));
    let s = p.state_of("a");
    assert_near("after 300 ms", s.position_us, 300 * MS, 150 * MS);

    let paused = p.pause("a");
    assert!(!paused.playing);
    sleep(Duration::from_millis(150));
    assert_eq!(p.state_of("a").position_us, paused.position_us, "a paused clock stands still");

    let s = p.seek("a", 1000 * MS);
    assert_eq!((s.position_us, s.playing), (1000 * MS, false), "seek while paused");
    p.play(track.clone(), None);
    sleep(Duration::from_millis(100));
    assert_near("resumed from the seek", p.state_of("a").position_us, 1100 * MS, 80 * MS);

    let s = p.seek("a", 2000 * MS);
    assert!(s.playing, "seeking while playing keeps playing");
    sleep(Duration::from_millis(100));
    assert_near("after a seek while playing", p.state_of("a").position_us, 2100 * MS, 80 * MS);
}

#[test]
fn reaching_the_end_pauses_there_and_play_starts_over() {
    let mut p = silent();
    let track = soundtrack("a", 1);
    p.play(track.clone(), Some(track.duration_us - 50 * MS));
    sleep(Duration::from_millis(150));
    let s = p.state_of("a");
    assert_eq!((s.playing, s.position_us), (false, track.duration_us));
    let s = p.play(track.clone(), None);
    assert!(s.playing);
    assert!(s.position_us < 50 * MS, "starts over at {}", s.position_us);
}

#[test]
fn play_from_a_position_and_other_projects_see_nothing_playing() {
    let mut p = silent();
    let s = p.play(soundtrack("a", 1), Some(1500 * MS));
    assert_near("play from", s.position_us, 1500 * MS, 20 * MS);
    let other = p.state_of("b");
    assert!(!other.playing && other.project.is_none());
    // Pausing or seeking another project leaves this one alone.
    p.pause("b");
    p.seek("b", 0);
    assert!(p.state_of("a").playing && p.state_of("a").position_us >= 1500 * MS);
    // Playing another project replaces the first.
    p.play(soundtrack("b", 1), None);
    assert!(p.state_of("b").playing);
    assert!(!p.state_of("a").playing);
}

#[test]
fn a_new_revision_keeps_the_position_and_stop_unloads() {
    let mut p = silent();
    p.play(soundtrack("a", 1), Some(800 * MS));
    let s = p.play(soundtrack("a", 2), None);
    assert_eq!(s.revision, 2);
    assert_near("kept position", s.position_us, 800 * MS, 30 * MS);
    p.stop("a");
    let s = p.state_of("a");
    assert!(s.project.is_none() && !s.playing);
}

#[test]
fn the_clock_never_runs_backwards_while_playing() {
    let mut p = silent();
    p.play(soundtrack("a", 1), None);
    let mut last = 0;
    for _ in 0..50 {
        let now = p.state_of("a").position_us;
        assert!(now >= last, "{now} < {last}");
        last = now;
        sleep(Duration::from_millis(2));
    }
}

/// The real output path: rodio and cpal open ALSA's "default" device, which a private config
/// points at the `file` plugin (16-bit stereo 48 kHz raw) over the `null` device. Runs in a
/// child process because ALSA reads its configuration from the environment once per process.
#[cfg(feature = "playback")]
#[test]
fn on_a_real_device_the_clock_is_the_samples_consumed_and_the_sound_is_written() {
    if let Ok(out) = std::env::var("CHATFRAME_TEST_ALSA_OUT") {
        return device_child(std::path::Path::new(&out));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.raw");
    let conf = dir.path().join("alsa.conf");
    std::fs::write(
        &conf,
        format!(
            "pcm.!default {{ type plug slave {{ pcm {{ type file slave.pcm {{ type null }} file \"{}\" format \"raw\" }} \
             format S16_LE rate 48000 channels 2 }} }}\nctl.!default {{ type hw card 0 }}\n",
            out.display()
        ),
    )
    .expect("write alsa.conf");
    let status = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "playback::tests::on_a_real_device_the_clock_is_the_samples_consumed_and_the_sound_is_written",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env("ALSA_CONFIG_PATH", &conf)
        .env("CHATFRAME_TEST_ALSA_OUT", &out)
        .env_remove(AUDIO_ENV)
        .status()
        .expect("run the child");
    assert!(status.success(), "the device half failed (see its output above)");
}

#[cfg(feature = "playback")]
fn device_child(out: &std::path::Path) {
    let output = AudioOutput::open_default();
    assert!(!output.is_silent(), "ALSA's file device did not open: {:?}", output.silent_reason());
    let mut p = Playback::with_output(output);
    let track = soundtrack("a", 1);
    let s = p.play(track.clone(), None);
    assert!(s.playing && !s.silent, "{s:?}");
    sleep(Duration::from_millis(300));
    // The null device is not paced (it takes samples as fast as they come), so this checks the
    // clock against what was consumed; pacing is checked with a paced puller below.
    let s = p.state_of("a");
    let consumed = p.device_consumed_us().expect("on the device");
    eprintln!("device clock {} ms, consumed {} ms", s.position_us / MS, consumed / MS);
    assert!(!s.silent, "the device stalled");
    assert!(s.position_us > 0 && s.position_us <= consumed, "the clock is the samples consumed");

    let paused = p.pause("a");
    let consumed = p.device_consumed_us().expect("on the device");
    sleep(Duration::from_millis(200));
    assert_eq!(p.state_of("a").position_us, paused.position_us, "paused device clock stands still");
    assert_eq!(p.device_consumed_us(), Some(consumed), "a paused track pulls nothing");
    let s = p.seek("a", 3000 * MS);
    assert_eq!(s.position_us, 3000 * MS);
    p.play(track.clone(), None);
    sleep(Duration::from_millis(100));
    assert!(p.state_of("a").position_us >= 3000 * MS);
    drop(p);
    sleep(Duration::from_millis(100));

    // The file holds what the device played, 16-bit 48 kHz: silence while nothing played (the
    // stream runs from the moment it opens), then the soundtrack. Align on the first sound and
    // compare the envelopes in 10 ms windows over the whole track.
    let raw = std::fs::read(out).expect("the file device wrote the sound");
    let heard: Vec<f32> = raw.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32767.0).collect();
    let first_sound = |s: &[f32]| s.iter().position(|v| v.abs() > 0.01).map(|i| i / 2);
    let at_heard = first_sound(&heard).expect("the device wrote sound, not silence");
    let at_mixed = first_sound(&track.samples).expect("the starter project has sounds");
    assert!(at_heard >= at_mixed, "the sound starts before its cue");
    let offset = at_heard - at_mixed;
    let peak = |s: &[f32], frame: usize| s.iter().skip(frame * 2).take(960).fold(0.0f32, |m, v| m.max(v.abs()));
    let (mut loud, mut quiet) = (0, 0);
    for w in 0..track.frames() as usize / 480 {
        let (want, got) = (peak(&track.samples, w * 480), peak(&heard, offset + w * 480));
        if want > 0.05 {
            loud += 1;
            assert!(got > want * 0.5, "window {w}: heard {got}, mixed {want}");
        } else if want < 0.001 {
            quiet += 1;
            assert!(got < 0.02, "window {w}: heard {got} where the mix is silent");
        }
    }
    eprintln!(
        "file device: {} frames; soundtrack from frame {offset}; {loud} loud and {quiet} quiet windows match",
        heard.len() / 2
    );
    assert!(loud > 10, "the soundtrack has sounds to compare");
}

/// A paced device: pulls 50 ms bursts every 50 ms, like a sound card's callback. The clock must
/// follow the wall clock smoothly between bursts (no 50 ms jumps in the picture) and stay
/// behind what was pulled.
#[test]
fn between_device_bursts_the_clock_is_interpolated_smoothly() {
    let track = soundtrack("a", 1);
    let (mut source, clock) = output::TrackSource::new(track.samples.clone(), 0);
    #[cfg(feature = "playback")]
    assert_eq!(rodio::Source::sample_rate(&source).get(), 48_000);
    clock.set_paused(false);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let puller = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut pulled = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let due = start.elapsed().as_micros() as u64 * 48 / 1000 + 2400;
                while pulled < due {
                    source.next();
                    source.next();
                    pulled += 1;
                }
                sleep(Duration::from_millis(50));
            }
        })
    };
    let started = std::time::Instant::now();
    sleep(Duration::from_millis(120));
    let mut last = us_of(clock.position());
    let mut biggest_step = 0;
    for _ in 0..60 {
        sleep(Duration::from_millis(10));
        let now = us_of(clock.position());
        assert!(now <= us_of(clock.consumed()), "never ahead of the pulled samples");
        biggest_step = biggest_step.max(now - last);
        last = now;
    }
    let wall = started.elapsed().as_micros() as Micros;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    puller.join().expect("puller");
    eprintln!(
        "clock {} ms after {} ms; biggest step between 10 ms polls {} ms",
        last / MS,
        wall / MS,
        biggest_step / MS
    );
    assert_near("paced clock vs wall clock", last, wall, 80 * MS);
    assert!(biggest_step < 35 * MS, "steps of {} ms: the picture would judder", biggest_step / MS);
}
