use std::process::Command;

use chatframe_export::{ExportOptions, Format, caption_cues, prepare_with_voice, to_srt, to_vtt};
use chatframe_model::Micros;

use crate::support::{voice, voiced_project};

const LINES: [&str; 5] = [
    "Hey, are you awake?",
    "Barely. What's up?",
    "Look outside https://weather.example.com/now",
    "Whoa!!! Is that snow?",
    "In July 😱",
];

/// The MP4's audio decoded by ffmpeg (not by us): mono 48 kHz f32.
fn decode_audio(path: &std::path::Path) -> Vec<f32> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-ac", "1", "-ar", "48000", "-f", "f32le", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

/// First 1 ms window at or after `from` whose RMS exceeds -50 dBFS.
fn onset_after(audio: &[f32], from: usize) -> Option<usize> {
    (from / 48..audio.len() / 48).find_map(|w| {
        let s = &audio[w * 48..w * 48 + 48];
        let rms = (s.iter().map(|v| v * v).sum::<f32>() / 48.0).sqrt();
        (rms > 0.003).then_some(w * 48)
    })
}

#[test]
fn each_lines_speech_starts_within_a_frame_of_its_bubble_in_the_mp4() {
    let dir = tempfile::tempdir().unwrap();
    let p = voiced_project(&LINES);
    let (track, _) = voice(&p, &dir.path().join("cache"));
    let (mut renderer, audio) = prepare_with_voice(p.clone(), dir.path(), true, &track).unwrap();
    let out = dir.path().join("voiced.mp4");
    let mut opts = ExportOptions::new(Format::Mp4);
    opts.audio = audio;
    chatframe_export::export(&mut renderer, &out, opts, &mut |_| {}).unwrap();

    let tl = renderer.timeline().clone();
    assert_eq!(tl.voice.len(), 5);
    let audio = decode_audio(&out);
    let frame: Micros = 1_000_000 / Micros::from(tl.fps);
    let mut prev_end = 0usize;
    for line in &tl.voice {
        let appear = tl.entries[line.index].appear;
        assert_eq!(line.at, appear, "the line starts with its bubble in the timeline");
        let onset = onset_after(&audio, prev_end).expect("speech in the audio");
        let onset_us = onset as Micros * 1_000_000 / 48_000;
        assert!(
            (onset_us - appear).abs() <= frame,
            "message {}: speech at {onset_us} µs, bubble at {appear} µs (> 1 frame apart)",
            line.index
        );
        // The next search starts after this line (and its trailing 20 ms) is over.
        prev_end = ((line.end() + 100_000) * 48_000 / 1_000_000) as usize;
    }
    // The video lasts until after the last line.
    let secs = audio.len() as f64 / 48_000.0;
    assert!(secs * 1e6 >= tl.voice.last().unwrap().end() as f64, "{secs} s");
}

#[test]
fn captions_have_one_cue_per_spoken_line_timed_to_the_audio() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = voiced_project(&LINES);
    p.messages[1].spoken_text = Some("Barely. What is up?".into());
    let (track, _) = voice(&p, &dir.path().join("cache"));
    let tl = chatframe_export::timeline_with_voice(&p, dir.path(), &track);
    let cues = caption_cues(&p, &tl);
    assert_eq!(cues.len(), tl.voice.len());
    for (c, l) in cues.iter().zip(&tl.voice) {
        assert_eq!((c.start, c.end), (l.at, l.end()));
    }
    assert_eq!(cues[1].text, "Barely. What is up?", "captions show what is said");
    let srt = to_srt(&cues);
    let vtt = to_vtt(&cues);
    assert_eq!(srt.matches(" --> ").count(), 5);
    assert_eq!(vtt.matches(" --> ").count(), 5);
    let ms = |us: Micros| us / 1000;
    let stamp = |us: Micros| format!("{:02}:{:02}.{:03}", ms(us) / 60_000, ms(us) / 1000 % 60, ms(us) % 1000);
    for l in &tl.voice {
        assert!(vtt.contains(&format!("00:{} --> 00:{}", stamp(l.at), stamp(l.end()))), "{vtt}");
        assert!(srt.contains(&format!("00:{} --> 00:{}", stamp(l.at), stamp(l.end())).replace('.', ",")), "{srt}");
    }
}
