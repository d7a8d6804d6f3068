//! Every format end to end, checked with ffprobe: codecs, size, frame rate, frame count and
//! duration to the frame, audio present and audible where sounds are expected.

use chatframe_export::Format;
use chatframe_model::Timeline;

use crate::common::*;

/// Frames and exact duration the export must have.
fn expected(p: &chatframe_model::Project) -> (u64, f64) {
    let tl = Timeline::build(p);
    (tl.frame_count(), tl.frame_count() as f64 / f64::from(p.canvas.fps))
}

fn check_video(path: &std::path::Path, codec: &str, pix_fmt: &str, p: &chatframe_model::Project) {
    let (frames, secs) = expected(p);
    let probe = ffprobe(path);
    let v = stream(&probe, "video").expect("a video stream");
    assert_eq!(v["codec_name"], codec);
    assert_eq!(v["pix_fmt"], pix_fmt);
    assert_eq!((v["width"].as_u64(), v["height"].as_u64()), (Some(u64::from(W)), Some(u64::from(H))));
    assert_eq!(v["r_frame_rate"], format!("{}/1", p.canvas.fps));
    assert_eq!(num(&v["nb_read_frames"]) as u64, frames, "frame count");
    let frame = 1.0 / f64::from(p.canvas.fps);
    let format_secs = num(&probe["format"]["duration"]);
    assert!((format_secs - secs).abs() < frame, "duration {format_secs} vs {secs}");
}

fn check_audio(path: &std::path::Path, codec: &str) {
    let probe = ffprobe(path);
    let a = stream(&probe, "audio").expect("an audio stream");
    assert_eq!(a["codec_name"], codec);
    assert_eq!(num(&a["sample_rate"]) as u32, 48_000);
    // The starter project has send/receive sounds: the track must not be silent.
    assert!(audio_peak(path) > 0.02, "audio is silent");
}

#[test]
fn mp4_is_h264_aac_faststart_with_exact_duration() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.mp4");
    let p = project();
    let s = run_export(p.clone(), &out, Format::Mp4);
    check_video(&out, "h264", "yuv420p", &p);
    check_audio(&out, "aac");
    let probe = ffprobe(&out);
    let v = stream(&probe, "video").unwrap();
    assert_eq!(v["color_space"], "bt709");
    assert_eq!(v["color_range"], "tv");
    let (frames, secs) = expected(&p);
    assert_eq!(s.frames, frames);
    assert!((num(&v["duration"]) - secs).abs() < 1e-6, "video stream duration is exact");
    // +faststart: the index (moov) precedes the media data (mdat), so playback starts at once.
    let bytes = std::fs::read(&out).unwrap();
    let find = |tag: &[u8]| bytes.windows(4).position(|w| w == tag).unwrap();
    assert!(find(b"moov") < find(b"mdat"), "moov before mdat");
    // Nothing else is left beside the output.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_ne!(mode & 0o044, 0, "output is readable like any created file, not 0600");
    }
}

#[test]
fn mp4_at_60_fps_keeps_the_duration() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.mp4");
    let mut p = project();
    p.canvas.fps = 60;
    p.messages.truncate(2);
    run_export(p.clone(), &out, Format::Mp4);
    check_video(&out, "h264", "yuv420p", &p);
}

#[test]
fn webm_is_vp9_opus() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.webm");
    let mut p = project();
    p.messages.truncate(2);
    run_export(p.clone(), &out, Format::Webm);
    check_video(&out, "vp9", "yuv420p", &p);
    check_audio(&out, "opus");
}

#[test]
fn mov_is_prores_4444_with_alpha() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.mov");
    let mut p = project();
    p.messages.truncate(2);
    p.canvas.background = chatframe_model::Background::Transparent;
    run_export(p.clone(), &out, Format::Mov);
    check_video(&out, "prores", "yuva444p12le", &p);
    check_audio(&out, "pcm_s16le");
}

#[test]
fn gif_has_every_frame_and_no_audio() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.gif");
    let mut p = project();
    p.messages.truncate(2);
    p.canvas.fps = 20;
    run_export(p.clone(), &out, Format::Gif);
    let probe = ffprobe(&out);
    assert_eq!(stream(&probe, "video").unwrap()["codec_name"], "gif");
    assert!(stream(&probe, "audio").is_none());
    let (_, secs) = expected(&p);
    assert!((num(&probe["format"]["duration"]) - secs).abs() <= 0.05, "gif duration");
}

#[test]
fn png_sequence_has_one_file_per_frame() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("frames");
    let mut p = project();
    p.messages.truncate(2);
    let s = run_export(p.clone(), &out, Format::PngSequence);
    let (frames, _) = expected(&p);
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len() as u64, frames);
    assert_eq!(s.frames, frames);
    assert_eq!(names[0], "frame_00000.png");
    let probe = ffprobe(&out.join(&names[names.len() / 2]));
    let v = stream(&probe, "video").unwrap();
    assert_eq!((v["codec_name"].as_str(), v["width"].as_u64()), (Some("png"), Some(u64::from(W))));
}

#[test]
fn wav_and_srt_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = project();
    let (_, secs) = expected(&p);
    let wav = dir.path().join("a.wav");
    run_export(p.clone(), &wav, Format::Wav);
    let probe = ffprobe(&wav);
    let a = stream(&probe, "audio").unwrap();
    assert_eq!((a["codec_name"].as_str(), a["channels"].as_u64()), (Some("pcm_s16le"), Some(2)));
    assert!((num(&a["duration"]) - secs).abs() < 1e-4, "wav lasts exactly the video");
    assert!(audio_peak(&wav) > 0.02);

    let srt = dir.path().join("a.srt");
    run_export(p.clone(), &srt, Format::Srt);
    let text = std::fs::read_to_string(&srt).unwrap();
    assert_eq!(text.matches(" --> ").count(), p.messages.len());
    assert!(text.contains("Sam: Are you still up?"), "{text}");
}
