//! The blurred stage around a framed phone (`Background::Blur`): the screen's own picture,
//! scaled to cover the canvas, blurred and darkened so the sharp phone stands out in front of it.
//!
//! It is part of the base layer, so it is made once per renderer (and again only when the chat's
//! last frame changes), never per frame. The work happens on a small copy: the blur removes all
//! detail anyway, so sampling the screen down to ~160 px wide, blurring that and stretching it
//! back with bilinear filtering looks the same as a full-size blur at a fraction of the cost.

use tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};

use crate::geometry::Geometry;

/// Width of the small copy the blur works on.
const SMALL_W: u32 = 160;
/// Blur radius of each of the three box passes, in small-copy pixels (three passes approximate
/// a Gaussian with sigma ≈ 0.9 × radius: about 3% of the canvas width).
const BLUR_RADIUS: usize = 5;
/// Brightness kept (of 256): dark enough that white bubbles on the stage do not compete with
/// the phone's, light enough that the colours still read.
const KEEP: u32 = 150;

/// The stage for `g`'s canvas from `frame`, a rendered frame whose screen area is the picture.
pub fn blurred_stage(frame: &Pixmap, g: &Geometry) -> Pixmap {
    let (w, h) = (g.width as f32, g.height as f32);
    let sw = SMALL_W.min(g.width);
    let sh = ((SMALL_W as f32 * h / w).round() as u32).clamp(1, g.height);
    // Cover: the screen scaled by `k` fills the canvas, centered.
    let k = (w / g.screen_w).max(h / g.screen_h);
    let (fx, fy) = (w / sw as f32, h / sh as f32);
    let mut small = vec![[0u32; 3]; (sw * sh) as usize];
    for j in 0..sh {
        for i in 0..sw {
            // The canvas footprint of this small pixel, mapped into the screen and averaged.
            let to_screen_x = |x: f32| g.screen_x + (x - w / 2.0) / k + g.screen_w / 2.0;
            let to_screen_y = |y: f32| g.screen_y + (y - h / 2.0) / k + g.screen_h / 2.0;
            let (x0, x1) = (to_screen_x(i as f32 * fx), to_screen_x((i + 1) as f32 * fx));
            let (y0, y1) = (to_screen_y(j as f32 * fy), to_screen_y((j + 1) as f32 * fy));
            small[(j * sw + i) as usize] = average(frame, g, (x0, x1), (y0, y1));
        }
    }
    for _ in 0..3 {
        box_pass(&mut small, sh as usize, sw as usize, 1, sw as usize);
        box_pass(&mut small, sw as usize, sh as usize, sw as usize, 1);
    }
    let mut low = Pixmap::new(sw, sh).expect("small stage");
    for (dst, c) in low.data_mut().chunks_exact_mut(4).zip(&small) {
        for ch in 0..3 {
            dst[ch] = ((c[ch] * KEEP) >> 8) as u8;
        }
        dst[3] = 255;
    }
    let mut stage = Pixmap::new(g.width, g.height).expect("canvas checked by the model");
    stage.draw_pixmap(
        0,
        0,
        low.as_ref(),
        &PixmapPaint { quality: FilterQuality::Bilinear, ..Default::default() },
        Transform::from_scale(w / sw as f32, h / sh as f32),
        None,
    );
    stage
}

/// Mean colour of the screen pixels in `[x0, x1) × [y0, y1)` (at least one pixel, clamped to
/// the screen). The frame is opaque there, so premultiplied values are the colours.
fn average(frame: &Pixmap, g: &Geometry, (x0, x1): (f32, f32), (y0, y1): (f32, f32)) -> [u32; 3] {
    let clamp_x = |v: f32| (v.floor() as i64).clamp(g.screen_x as i64, (g.screen_x + g.screen_w) as i64 - 1);
    let clamp_y = |v: f32| (v.floor() as i64).clamp(g.screen_y as i64, (g.screen_y + g.screen_h) as i64 - 1);
    let (ax, bx) = (clamp_x(x0), clamp_x(x1 - 0.001).max(clamp_x(x0)));
    let (ay, by) = (clamp_y(y0), clamp_y(y1 - 0.001).max(clamp_y(y0)));
    let (mut sum, mut n) = ([0u32; 3], 0u32);
    let data = frame.data();
    let stride = frame.width() as usize * 4;
    for y in ay..=by {
        for x in ax..=bx {
            let i = y as usize * stride + x as usize * 4;
            for ch in 0..3 {
                sum[ch] += u32::from(data[i + ch]);
            }
            n += 1;
        }
    }
    sum.map(|v| (v + n / 2) / n)
}

/// One box-blur pass along `lines` lines of `len` samples (`step` apart, lines `stride` apart),
/// with edges extended so the stage does not darken at the canvas border.
fn box_pass(px: &mut [[u32; 3]], lines: usize, len: usize, step: usize, stride: usize) {
    let r = BLUR_RADIUS as i64;
    let d = (2 * r + 1) as u32;
    let mut line = vec![[0u32; 3]; len];
    for l in 0..lines {
        for (k, v) in line.iter_mut().enumerate() {
            *v = px[l * stride + k * step];
        }
        let at = |k: i64| line[k.clamp(0, len as i64 - 1) as usize];
        let mut sum = [0u32; 3];
        for k in -r..=r {
            let v = at(k);
            for ch in 0..3 {
                sum[ch] += v[ch];
            }
        }
        for k in 0..len as i64 {
            px[l * stride + k as usize * step] = sum.map(|v| (v + d / 2) / d);
            let (add, sub) = (at(k + r + 1), at(k - r));
            for ch in 0..3 {
                sum[ch] = sum[ch] + add[ch] - sub[ch];
            }
        }
    }
}
