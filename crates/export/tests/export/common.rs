//! Shared fixtures: a short 180×320 project, ffprobe and frame decoding, PSNR.

use std::path::Path;
use std::process::Command;

use chatframe_export::{ExportOptions, ExportSummary, Format, Progress, export, prepare};
use chatframe_model::{Project, starter_project};
use chatframe_render::Renderer;
use serde_json::Value;

pub const W: u32 = 180;
pub const H: u32 = 320;

/// The starter project at 180×320 with short timings: ~3 s, every look feature once.
pub fn project() -> Project {
    let mut p = starter_project("test");
    p.canvas.width = W;
    p.canvas.height = H;
    p.canvas.fps = 30;
    p.messages.truncate(4);
    p.timing.end_hold_ms = 300;
    p
}

pub fn renderer_and_audio(p: Project, dir: &Path) -> (Renderer, Option<chatframe_export::Pcm>) {
    prepare(p, dir, true).expect("prepare")
}

pub fn run_export(p: Project, out: &Path, format: Format) -> ExportSummary {
    let (mut r, audio) = renderer_and_audio(p, out.parent().unwrap());
    let mut opts = ExportOptions::new(format);
    opts.audio = audio;
    let mut last: Option<Progress> = None;
    let s = export(&mut r, out, opts, &mut |p| last = Some(p.clone())).unwrap_or_else(|e| panic!("{format}: {e}"));
    if format.has_video() {
        let last = last.expect("progress was reported");
        assert_eq!((last.frames_done, last.total_frames), (s.frames, s.frames));
    }
    s
}

pub fn ffprobe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-count_frames"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(out.status.success(), "ffprobe {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn stream<'a>(probe: &'a Value, kind: &str) -> Option<&'a Value> {
    probe["streams"].as_array().unwrap().iter().find(|s| s["codec_type"] == kind)
}

pub fn num(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).or_else(|| v.as_f64()).unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Peak absolute sample of the file's audio, decoded by ffmpeg (0 = silent).
pub fn audio_peak(path: &Path) -> f64 {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", "48000", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks_exact(2).map(|c| f64::from(i16::from_le_bytes([c[0], c[1]]).unsigned_abs())).fold(0.0, f64::max)
        / 32768.0
}

/// Frame `n` of a video decoded to RGB24 by ffmpeg (BT.709 limited range, as we encode).
pub fn decode_frame(path: &Path, n: u64, w: u32, h: u32) -> Vec<u8> {
    let filter = format!(
        "select=eq(n\\,{n}),scale=in_color_matrix=bt709:in_range=tv:flags=bicubic+accurate_rnd+full_chroma_int"
    );
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-vf", &filter, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout.len(), (w * h * 3) as usize, "decoded frame size");
    out.stdout
}

/// Straight RGB24 of a rendered (premultiplied RGBA) frame.
pub fn rgb_of(r: &mut Renderer, t: i64) -> Vec<u8> {
    let px = r.render(t);
    let mut straight = vec![0; px.data().len()];
    chatframe_export::yuv::unpremultiply(px.data(), &mut straight);
    straight.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect()
}

/// Peak signal-to-noise ratio of two 8-bit images, in dB (infinite when identical).
pub fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mse = a.iter().zip(b).map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2)).sum::<f64>() / a.len() as f64;
    if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0 * 255.0 / mse).log10() }
}

#[test]
fn psnr_helper_is_sane() {
    let a = vec![100u8; 300];
    assert!(psnr(&a, &a).is_infinite());
    let b: Vec<u8> = a.iter().map(|v| v + 1).collect();
    assert!((psnr(&a, &b) - 48.13).abs() < 0.01);
}
