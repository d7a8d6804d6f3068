//! Frame render time (targets: bench-party 1080x1920 <= 4 ms median, 540x960 <= 2 ms;
//! 5,000 messages <= 1.2x the cost at 20). Single-threaded; run with `cargo bench -p chatframe-render`.
//!
//! Each iteration renders a different frame time across the whole video, so the measurement
//! includes scrolling, entrance animations and typing dots, not one cached picture, and draws the
//! whole frame (no partial redraw against the previous one).

use std::path::Path;

use chatframe_model::{Message, Project, Side, load_project};
use chatframe_render::Renderer;
use criterion::{Criterion, criterion_group, criterion_main};

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

fn bench_party(width: u32, height: u32) -> Project {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/bench/bench-party.chatframe.json");
    let mut p = load_project(&bench).expect("the bench-party fixture").project;
    p.canvas.width = width;
    p.canvas.height = height;
    p
}

/// A project of `n` short alternating messages, paced like bench-party.
fn long_chat(n: usize) -> Project {
    let mut p = bench_party(1080, 1920);
    let base = p.messages.clone();
    p.messages = (0..n)
        .map(|i| {
            let mut m: Message = base[i % base.len()].clone();
            m.id = format!("m{i}");
            m
        })
        .collect();
    assert!(p.participants.iter().any(|q| q.side == Side::Me));
    p
}

fn render_sweep(c: &mut Criterion, name: &str, project: Project, window: Option<(i64, i64)>) {
    let mut r = Renderer::new(project, &samples()).expect("renderer");
    let frames = r.timeline().frame_count();
    let (from, to) = window.unwrap_or((0, r.timeline().duration));
    // Warm the caches the way an export does: every frame once.
    let mut n = 0u64;
    while n < frames {
        let t = r.timeline().frame_time(n);
        if t >= from && t <= to {
            r.render(t);
        }
        n += 1;
    }
    let mut i = 0u64;
    c.bench_function(name, |b| {
        b.iter(|| {
            // Step through frames of the window; 7 is coprime with typical frame counts.
            let t = from + ((i * 7 * 33_333) as i64 % (to - from).max(1));
            i += 1;
            // A whole frame each time: the renderer would otherwise redraw only the rows that
            // differ from the previous one (exports profit from that; this measures the worst case).
            r.forget_previous_frame();
            std::hint::black_box(r.render(t).data()[0]);
        })
    });
}

fn frames(c: &mut Criterion) {
    render_sweep(c, "bench-party 1080x1920", bench_party(1080, 1920), None);
    render_sweep(c, "bench-party 540x960", bench_party(540, 960), None);
    // Compare the last 10 s of a 20-message chat with the last 10 s of a 5,000-message chat.
    for n in [20usize, 5000] {
        let p = long_chat(n);
        let tl = chatframe_model::Timeline::build(&p);
        let end = tl.duration;
        render_sweep(c, &format!("{n} messages 1080x1920 (last 10 s)"), p, Some((end - 10_000_000, end)));
    }
}

/// An edit in the studio: apply it to the renderer (re-measuring only what changed) and draw the
/// preview frame at 540x960. The studio's edit-to-preview budget is 30 ms.
fn edit_to_frame(c: &mut Criterion) {
    let project = bench_party(540, 960);
    let mut r = Renderer::new(project.clone(), &samples()).expect("renderer");
    let t = r.timeline().duration - 1;
    r.render(t);
    let mut n = 0u64;
    c.bench_function("edit -> frame 540x960 (bench-party)", |b| {
        b.iter(|| {
            let mut p = project.clone();
            n += 1;
            p.messages[14].text = format!("See you! Don't be late this time :) #{n}");
            r.update(p).expect("update");
            std::hint::black_box(r.render(t).data()[0]);
        })
    });
}

/// Opening a long chat in the studio: a new renderer and its first frame (at the end, where the
/// most blocks are on screen). Blocks are measured when a frame first shows them, so this must
/// not grow with the number of messages.
fn open_long_chat(c: &mut Criterion) {
    for n in [20usize, 5000] {
        let mut p = long_chat(n);
        (p.canvas.width, p.canvas.height) = (540, 960);
        let end = chatframe_model::Timeline::build(&p).duration - 1;
        c.bench_function(&format!("open {n} messages: Renderer::new + first frame 540x960"), |b| {
            b.iter(|| {
                let mut r = Renderer::new(p.clone(), &samples()).expect("renderer");
                std::hint::black_box(r.render(end).data()[0]);
            })
        });
    }
}

/// The blurred stage is part of the base layer: `Renderer::new` pays for it once (drawing the
/// chat's last frame and blurring a small copy of it), frames never do. Compared with the same
/// 16:9 canvas on a gradient, whose base costs no frame.
fn new_with_blur_stage(c: &mut Criterion) {
    use chatframe_model::Background;
    for (name, background) in [
        (
            "gradient",
            Background::Gradient { from: "#ff7e5f".parse().unwrap(), to: "#6a5acd".parse().unwrap(), angle: 135.0 },
        ),
        ("blur", Background::Blur),
    ] {
        let mut p = bench_party(1920, 1080);
        p.canvas.background = background;
        c.bench_function(&format!("Renderer::new 1920x1080, {name} stage"), |b| {
            b.iter(|| std::hint::black_box(Renderer::new(p.clone(), &samples()).expect("renderer").size()))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(4));
    targets = frames, edit_to_frame, open_long_chat, new_with_blur_stage
}
criterion_main!(benches);
