//! RGBA -> yuv420p conversion cost per 1080×1920 frame: it runs once per changed frame of every
//! export, on the same two cores as x264, so it must stay far below the encoder's per-frame time.

use chatframe_export::yuv::{rgba_to_yuv420p, unpremultiply, yuv420p_len};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A chat-like frame: opaque background and bubbles, with a band of anti-aliased (translucent)
/// pixels so the un-premultiply path is exercised as it is at bubble edges.
fn frame(w: u32, h: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let a = if (x + y) % 97 == 0 { 128 } else { 255 };
            let c = |k: u32| (((x * k + y * 3) % 256) * a / 255) as u8;
            v.extend_from_slice(&[c(1), c(5), c(7), a as u8]);
        }
    }
    v
}

fn bench(c: &mut Criterion) {
    let (w, h) = (1080, 1920);
    let rgba = frame(w, h);
    let mut yuv = vec![0; yuv420p_len(w, h)];
    let mut g = c.benchmark_group("convert");
    g.throughput(Throughput::Elements(u64::from(w * h)));
    g.bench_function("rgba_to_yuv420p 1080x1920", |b| b.iter(|| rgba_to_yuv420p(&rgba, w, h, &mut yuv)));
    let mut straight = vec![0; rgba.len()];
    g.bench_function("unpremultiply 1080x1920", |b| b.iter(|| unpremultiply(&rgba, &mut straight)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
