//! The video shows what the renderer draws: a decoded MP4 frame matches `Renderer::render` at the
//! same time (PSNR ≥ 35 dB; the loss is x264's and 4:2:0 chroma's, not ours).

use chatframe_export::Format;

use crate::common::*;

#[test]
fn decoded_mp4_frames_match_the_renderer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.mp4");
    let p = project();
    let s = run_export(p.clone(), &out, Format::Mp4);
    let (mut r, _) = renderer_and_audio(p, dir.path());
    // Early (typing), middle (bubbles animating in), and last frame.
    for n in [s.frames / 4, s.frames / 2, s.frames - 1] {
        let decoded = decode_frame(&out, n, W, H);
        let t = r.timeline().frame_time(n);
        let rendered = rgb_of(&mut r, t);
        let db = psnr(&decoded, &rendered);
        assert!(db >= 35.0, "frame {n}: PSNR {db:.1} dB");
    }
}
