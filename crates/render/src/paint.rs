//! Low-level pixel work on premultiplied RGBA8 buffers. Compositing cached layers is the hot path
//! of every frame, so it is done here with plain integer loops rather than through a general
//! rasterizer pipeline.

use chatframe_model::Color;
use tiny_skia::{Paint, Pixmap};

/// A straight-alpha color (as written in themes and project files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

/// A premultiplied color ready to blend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Premul {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

#[inline]
pub fn mul255(a: u32, b: u32) -> u32 {
    // Exact rounding of a*b/255 without a division.
    let t = a * b + 128;
    (t + (t >> 8)) >> 8
}

impl Rgba {
    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Rgba { r, g, b, a }
    }

    pub const fn hex(v: u32) -> Self {
        Rgba::new((v >> 16) as u8, (v >> 8) as u8, v as u8, 255)
    }

    pub const fn alpha(self, a: u8) -> Self {
        Rgba { a, ..self }
    }

    pub fn premultiplied(self) -> Premul {
        let a = self.a as u32;
        Premul {
            r: mul255(self.r as u32, a) as u8,
            g: mul255(self.g as u32, a) as u8,
            b: mul255(self.b as u32, a) as u8,
            a: self.a,
        }
    }

    /// This color at `coverage` (0-255) of its alpha, premultiplied.
    pub fn with_coverage(self, coverage: u8) -> Premul {
        Rgba { a: mul255(self.a as u32, coverage as u32) as u8, ..self }.premultiplied()
    }

    pub fn paint(self) -> Paint<'static> {
        let mut p = Paint::default();
        p.set_color_rgba8(self.r, self.g, self.b, self.a);
        p.anti_alias = true;
        p
    }

    pub fn skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, self.a)
    }

    /// Linear mix towards `other` by `t` in 0..=1 (for animated color changes).
    pub fn mix(self, other: Rgba, t: f32) -> Rgba {
        let l = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t.clamp(0.0, 1.0)).round() as u8;
        Rgba::new(l(self.r, other.r), l(self.g, other.g), l(self.b, other.b), l(self.a, other.a))
    }
}

impl From<Color> for Rgba {
    fn from(c: Color) -> Self {
        Rgba::new(c.r, c.g, c.b, c.a)
    }
}

/// `dst = src + dst * (1 - src.a)` for one premultiplied pixel.
#[inline]
pub fn blend_pixel(dst: &mut [u8], src: Premul) {
    match src.a {
        0 => {}
        255 => dst.copy_from_slice(&[src.r, src.g, src.b, 255]),
        a => {
            let inv = 255 - a as u32;
            dst[0] = (src.r as u32 + mul255(dst[0] as u32, inv)) as u8;
            dst[1] = (src.g as u32 + mul255(dst[1] as u32, inv)) as u8;
            dst[2] = (src.b as u32 + mul255(dst[2] as u32, inv)) as u8;
            dst[3] = (a as u32 + mul255(dst[3] as u32, inv)) as u8;
        }
    }
}

/// Composites `src` onto `dst` with its top-left at integer (`x`, `y`) and a global `opacity`.
/// Clipped to `clip` rows `[top, bottom)` of `dst` so bubbles never draw over the header or the
/// input bar.
pub fn composite(dst: &mut Pixmap, src: &Pixmap, x: i32, y: i32, opacity: u8, clip: (i32, i32)) {
    if opacity == 0 {
        return;
    }
    let (dw, dh) = (dst.width() as i32, dst.height() as i32);
    let (sw, sh) = (src.width() as i32, src.height() as i32);
    let x0 = x.max(0);
    let x1 = (x + sw).min(dw);
    let y0 = y.max(clip.0).max(0);
    let y1 = (y + sh).min(clip.1).min(dh);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let sdata = src.data();
    let ddata = dst.data_mut();
    let n = (x1 - x0) as usize * 4;
    for row in y0..y1 {
        let so = (((row - y) * sw + (x0 - x)) * 4) as usize;
        let do_ = ((row * dw + x0) * 4) as usize;
        let s = &sdata[so..so + n];
        let d = &mut ddata[do_..do_ + n];
        if opacity == 255 {
            for (dp, sp) in d.chunks_exact_mut(4).zip(s.chunks_exact(4)) {
                let a = sp[3];
                if a == 255 {
                    dp.copy_from_slice(sp);
                } else if a != 0 {
                    let inv = 255 - a as u32;
                    dp[0] = (sp[0] as u32 + mul255(dp[0] as u32, inv)) as u8;
                    dp[1] = (sp[1] as u32 + mul255(dp[1] as u32, inv)) as u8;
                    dp[2] = (sp[2] as u32 + mul255(dp[2] as u32, inv)) as u8;
                    dp[3] = (a as u32 + mul255(dp[3] as u32, inv)) as u8;
                }
            }
        } else {
            let o = opacity as u32;
            for (dp, sp) in d.chunks_exact_mut(4).zip(s.chunks_exact(4)) {
                let a = mul255(sp[3] as u32, o);
                if a == 0 {
                    continue;
                }
                let inv = 255 - a;
                dp[0] = (mul255(sp[0] as u32, o) + mul255(dp[0] as u32, inv)) as u8;
                dp[1] = (mul255(sp[1] as u32, o) + mul255(dp[1] as u32, inv)) as u8;
                dp[2] = (mul255(sp[2] as u32, o) + mul255(dp[2] as u32, inv)) as u8;
                dp[3] = (a + mul255(dp[3] as u32, inv)) as u8;
            }
        }
    }
}

/// Copies rows `[y, y + src.height)` of an opaque full-width layer (header, input bar), limited
/// to frame rows `[rows.0, rows.1)`, with a plain memcpy: the cheapest way to put chrome on a
/// frame.
pub fn copy_rows(dst: &mut Pixmap, src: &Pixmap, y: i32, rows: (i32, i32)) {
    debug_assert_eq!(dst.width(), src.width());
    let w = dst.width() as usize * 4;
    let y0 = y.max(rows.0).max(0) as usize;
    let y1 = ((y + src.height() as i32).min(rows.1).max(0) as usize).min(dst.height() as usize);
    if y0 >= y1 {
        return;
    }
    let skip = (y0 as i32 - y) as usize;
    dst.data_mut()[y0 * w..y1 * w].copy_from_slice(&src.data()[skip * w..(skip + y1 - y0) * w]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul255_is_exact() {
        for a in 0..=255u32 {
            for b in 0..=255u32 {
                assert_eq!(mul255(a, b), ((a * b) as f32 / 255.0).round() as u32, "{a}*{b}");
            }
        }
    }

    #[test]
    fn composite_blends_and_clips() {
        let mut dst = Pixmap::new(4, 4).unwrap();
        dst.fill(tiny_skia::Color::WHITE);
        let mut src = Pixmap::new(2, 2).unwrap();
        src.fill(tiny_skia::Color::from_rgba8(0, 0, 0, 128));
        composite(&mut dst, &src, 1, 1, 255, (0, 2));
        // Row 1 is inside the clip and half-dark; row 2 is clipped away.
        assert_eq!(dst.pixel(1, 1).unwrap().red(), 127);
        assert_eq!(dst.pixel(1, 2).unwrap().red(), 255);
        assert_eq!(dst.pixel(0, 1).unwrap().red(), 255);
    }
}
