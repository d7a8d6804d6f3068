//! Premultiplied RGBA8 -> the pixel formats ffmpeg is fed.
//!
//! Converting to yuv420p here instead of letting ffmpeg's swscale do it halves the bytes pushed
//! through the pipe (12 instead of 32 bits per pixel) and takes the colorspace conversion off
//! ffmpeg's threads, which on a 2-core machine are the bottleneck. Integer fixed-point
//! arithmetic keeps it fast and deterministic across machines.
//!
//! Colors are BT.709, limited ("TV") range, which is what players assume for HD H.264/VP9.
//! Transparent pixels are un-premultiplied (their straight color is encoded, alpha dropped), so
//! the video shows the same colors as the straight-alpha PNG `chatframe frame` writes.

use std::ops::Range;

/// Bytes of a yuv420p frame of `width`×`height` (both even).
pub fn yuv420p_len(width: u32, height: u32) -> usize {
    let (w, h) = (width as usize, height as usize);
    w * h + 2 * (w / 2) * (h / 2)
}

// BT.709 limited-range coefficients in 16.16 fixed point. Each row of chroma coefficients sums
// to zero so grey stays exactly grey (Cb = Cr = 128); the luma row sums to 219/255.
const YR: i32 = 11966;
const YG: i32 = 40254;
const YB: i32 = 4064;
const UR: i32 = -6596;
const UG: i32 = -22189;
const UB: i32 = 28785;
const VR: i32 = 28784;
const VG: i32 = -26145;
const VB: i32 = -2639;

/// `(255 << 16) / a`, rounded: un-premultiplying becomes a multiply and a shift.
const RECIP: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut a = 1;
    while a < 256 {
        t[a] = ((255u32 << 16) + (a as u32) / 2) / a as u32;
        a += 1;
    }
    t
};

/// Straight (non-premultiplied) RGB of one premultiplied pixel.
#[inline(always)]
fn straight(p: &[u8]) -> (i32, i32, i32) {
    let a = p[3];
    if a == 255 {
        (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]))
    } else if a == 0 {
        (0, 0, 0)
    } else {
        let r = RECIP[a as usize];
        let un = |c: u8| ((u32::from(c) * r + 0x8000) >> 16).min(255) as i32;
        (un(p[0]), un(p[1]), un(p[2]))
    }
}

#[inline(always)]
fn luma(r: i32, g: i32, b: i32) -> u8 {
    // +16 offset and rounding folded into one constant.
    ((YR * r + YG * g + YB * b + (16 << 16) + (1 << 15)) >> 16) as u8
}

/// Converts a premultiplied RGBA8 frame (row-major, no padding) into planar yuv420p
/// (Y plane, then U, then V). Chroma is the average of each 2×2 block's straight color, which
/// is what a box-filtered downsample would give and keeps colored text edges from bleeding.
///
/// Panics if `width`/`height` are odd or the buffers have the wrong length; the exporter checks
/// the canvas before it gets here.
pub fn rgba_to_yuv420p(rgba: &[u8], width: u32, height: u32, out: &mut [u8]) {
    let (w, h) = (width as usize, height as usize);
    assert!(w % 2 == 0 && h % 2 == 0, "yuv420p needs even dimensions, got {w}x{h}");
    assert_eq!(rgba.len(), w * h * 4, "rgba buffer size");
    assert_eq!(out.len(), yuv420p_len(width, height), "yuv buffer size");
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { convert_planes_avx2(rgba, w, h, out) };
        return;
    }
    convert_planes(rgba, w, h, out);
}

/// The same code compiled for AVX2. Baseline x86-64 (SSE2) has no 32-bit vector multiply, so
/// the plain build stays scalar; with AVX2 the compiler vectorizes the opaque loops (measured:
/// see docs/BENCHMARKS.md, Export). Integer arithmetic, so the bytes are identical.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)]
unsafe fn convert_planes_avx2(rgba: &[u8], w: usize, h: usize, out: &mut [u8]) {
    convert_planes(rgba, w, h, out);
}

#[inline(always)]
fn convert_planes(rgba: &[u8], w: usize, h: usize, out: &mut [u8]) {
    let (y_plane, u_plane, v_plane) = planes(out, w, h);
    let cw = w / 2;
    let rows = rgba.chunks_exact(w * 8).zip(y_plane.chunks_exact_mut(w * 2));
    for ((src, ys), (us, vs)) in rows.zip(u_plane.chunks_exact_mut(cw).zip(v_plane.chunks_exact_mut(cw))) {
        let (top, bottom) = src.split_at(w * 4);
        let (y_top, y_bottom) = ys.split_at_mut(w);
        convert_row_pair(top, bottom, y_top, y_bottom, us, vs);
    }
}

/// The Y, U and V planes of a yuv420p buffer.
#[inline(always)]
fn planes(buf: &mut [u8], w: usize, h: usize) -> (&mut [u8], &mut [u8], &mut [u8]) {
    let (y_plane, chroma) = buf.split_at_mut(w * h);
    let (u_plane, v_plane) = chroma.split_at_mut((w / 2) * (h / 2));
    (y_plane, u_plane, v_plane)
}

/// Converts a sequence of frames (an export's), each told which rows changed since the previous
/// one (the renderer's damage): row pairs that did not change are copied from the previous
/// output instead of converted. Between two chat frames most rows stay put (a bubble pops in,
/// dots blink), and copying a row pair's 3 KB of yuv costs far less than converting its 8 KB of
/// RGBA. The output is byte-identical to [`rgba_to_yuv420p`] of each frame.
pub struct Yuv420pStream {
    width: u32,
    height: u32,
    /// The previous frame's conversion; empty before the first frame.
    prev_yuv: Vec<u8>,
    /// Row pairs of the current frame to convert (reused between frames).
    pairs: Vec<bool>,
    /// Debug builds check the caller's claim that rows outside `changed` did not change.
    #[cfg(debug_assertions)]
    prev_rgba: Vec<u8>,
}

impl Yuv420pStream {
    pub fn new(width: u32, height: u32) -> Self {
        Yuv420pStream {
            width,
            height,
            prev_yuv: Vec::new(),
            pairs: Vec::new(),
            #[cfg(debug_assertions)]
            prev_rgba: Vec::new(),
        }
    }

    /// Converts the next frame of the sequence into `out` (see [`rgba_to_yuv420p`]). `changed`
    /// holds the rows that may differ from the previous frame given; every row outside it must
    /// be byte-identical to that frame's. The first frame is converted whole.
    pub fn convert(&mut self, rgba: &[u8], changed: &[Range<u32>], out: &mut [u8]) {
        let (width, height) = (self.width, self.height);
        let (w, h) = (width as usize, height as usize);
        #[cfg(debug_assertions)]
        {
            if !self.prev_rgba.is_empty() {
                for (y, (row, old)) in rgba.chunks_exact(w * 4).zip(self.prev_rgba.chunks_exact(w * 4)).enumerate() {
                    let inside = changed.iter().any(|r| r.contains(&(y as u32)));
                    assert!(inside || row == old, "row {y} changed but is not in the damage {changed:?}");
                }
            }
            self.prev_rgba = rgba.to_vec();
        }
        if self.prev_yuv.is_empty() {
            rgba_to_yuv420p(rgba, width, height, out);
            self.prev_yuv = out.to_vec();
            return;
        }
        assert_eq!(rgba.len(), w * h * 4, "rgba buffer size");
        assert_eq!(out.len(), yuv420p_len(width, height), "yuv buffer size");
        self.pairs.clear();
        self.pairs.resize(h / 2, false);
        for rows in changed {
            let pairs = (rows.start as usize / 2).min(h / 2)..(rows.end as usize).div_ceil(2).min(h / 2);
            self.pairs[pairs].fill(true);
        }
        let (pairs, prev_yuv) = (&self.pairs[..], &mut self.prev_yuv[..]);
        #[cfg(target_arch = "x86_64")]
        #[allow(unsafe_code)]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { convert_changed_avx2(rgba, w, h, pairs, out, prev_yuv) };
            return;
        }
        convert_changed(rgba, w, h, pairs, out, prev_yuv);
    }
}

/// [`convert_changed`] compiled for AVX2, like [`convert_planes_avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)]
unsafe fn convert_changed_avx2(rgba: &[u8], w: usize, h: usize, pairs: &[bool], out: &mut [u8], prev_yuv: &mut [u8]) {
    convert_changed(rgba, w, h, pairs, out, prev_yuv);
}

/// Converts the row pairs flagged in `pairs` into `out` and `prev_yuv`, and copies the others
/// from `prev_yuv` into `out`, so `prev_yuv` ends up holding this frame too.
#[inline(always)]
fn convert_changed(rgba: &[u8], w: usize, h: usize, pairs: &[bool], out: &mut [u8], prev_yuv: &mut [u8]) {
    let cw = w / 2;
    let (y_plane, u_plane, v_plane) = planes(out, w, h);
    let (prev_y, prev_u, prev_v) = planes(prev_yuv, w, h);
    let src_rows = rgba.chunks_exact(w * 8).zip(pairs);
    let y_rows = y_plane.chunks_exact_mut(w * 2).zip(prev_y.chunks_exact_mut(w * 2));
    let u_rows = u_plane.chunks_exact_mut(cw).zip(prev_u.chunks_exact_mut(cw));
    let v_rows = v_plane.chunks_exact_mut(cw).zip(prev_v.chunks_exact_mut(cw));
    for (((src, &changed), (ys, old_ys)), ((us, old_us), (vs, old_vs))) in src_rows.zip(y_rows).zip(u_rows.zip(v_rows))
    {
        if !changed {
            ys.copy_from_slice(old_ys);
            us.copy_from_slice(old_us);
            vs.copy_from_slice(old_vs);
            continue;
        }
        let (top, bottom) = src.split_at(w * 4);
        let (y_top, y_bottom) = ys.split_at_mut(w);
        convert_row_pair(top, bottom, y_top, y_bottom, us, vs);
        old_ys.copy_from_slice(ys);
        old_us.copy_from_slice(us);
        old_vs.copy_from_slice(vs);
    }
}

/// Two source rows -> two luma rows and one chroma row. Most row pairs of a chat frame are fully
/// opaque; those take branch-free loops the compiler vectorizes (the per-block alpha check
/// below does not), the rest the general path. Both give identical values for opaque pixels.
#[inline(always)]
fn convert_row_pair(top: &[u8], bottom: &[u8], y_top: &mut [u8], y_bottom: &mut [u8], us: &mut [u8], vs: &mut [u8]) {
    if is_opaque(top) && is_opaque(bottom) {
        convert_opaque_row_pair(top, bottom, y_top, y_bottom, us, vs);
    } else {
        convert_mixed_row_pair(top, bottom, y_top, y_bottom, us, vs);
    }
}

/// True when every pixel of the row has alpha 255 (an AND over the alpha bytes, no early exit,
/// so it vectorizes).
#[inline(always)]
fn is_opaque(row: &[u8]) -> bool {
    row.chunks_exact(4).fold(255u8, |a, p| a & p[3]) == 255
}

#[inline(always)]
fn luma_row(src: &[u8], dst: &mut [u8]) {
    for (p, y) in src.chunks_exact(4).zip(dst.iter_mut()) {
        *y = luma(i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
    }
}

#[inline(always)]
fn chroma(r: i32, g: i32, b: i32) -> (u8, u8) {
    // Sums of four pixels: shift by 18 (16 fixed-point bits + divide by 4).
    let u = (UR * r + UG * g + UB * b + (128 << 18) + (1 << 17)) >> 18;
    let v = (VR * r + VG * g + VB * b + (128 << 18) + (1 << 17)) >> 18;
    (u as u8, v as u8)
}

#[inline(always)]
fn convert_opaque_row_pair(
    top: &[u8],
    bottom: &[u8],
    y_top: &mut [u8],
    y_bottom: &mut [u8],
    us: &mut [u8],
    vs: &mut [u8],
) {
    luma_row(top, y_top);
    luma_row(bottom, y_bottom);
    let blocks = top.chunks_exact(8).zip(bottom.chunks_exact(8)).zip(us.iter_mut().zip(vs.iter_mut()));
    for ((t, b), (u, v)) in blocks {
        let sum = |i: usize| i32::from(t[i]) + i32::from(t[i + 4]) + i32::from(b[i]) + i32::from(b[i + 4]);
        (*u, *v) = chroma(sum(0), sum(1), sum(2));
    }
}

#[inline(always)]
fn convert_mixed_row_pair(
    top: &[u8],
    bottom: &[u8],
    y_top: &mut [u8],
    y_bottom: &mut [u8],
    us: &mut [u8],
    vs: &mut [u8],
) {
    let blocks = top
        .chunks_exact(8)
        .zip(bottom.chunks_exact(8))
        .zip(y_top.chunks_exact_mut(2).zip(y_bottom.chunks_exact_mut(2)))
        .zip(us.iter_mut().zip(vs.iter_mut()));
    for (((t, b), (yt, yb)), (u, v)) in blocks {
        let (p0, p1, p2, p3) = (straight(&t[0..4]), straight(&t[4..8]), straight(&b[0..4]), straight(&b[4..8]));
        yt[0] = luma(p0.0, p0.1, p0.2);
        yt[1] = luma(p1.0, p1.1, p1.2);
        yb[0] = luma(p2.0, p2.1, p2.2);
        yb[1] = luma(p3.0, p3.1, p3.2);
        (*u, *v) = chroma(p0.0 + p1.0 + p2.0 + p3.0, p0.1 + p1.1 + p2.1 + p3.1, p0.2 + p1.2 + p2.2 + p3.2);
    }
}

/// Premultiplied RGBA8 -> straight RGBA8, the input ffmpeg expects for formats that keep alpha
/// (ProRes 4444) or quantize colors themselves (GIF).
pub fn unpremultiply(rgba: &[u8], out: &mut [u8]) {
    assert_eq!(rgba.len(), out.len(), "rgba buffer size");
    for (s, d) in rgba.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
        let (r, g, b) = straight(s);
        d[0] = r as u8;
        d[1] = g as u8;
        d[2] = b as u8;
        d[3] = s[3];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opaque_fast_path_equals_the_general_path() {
        // Pseudo-random opaque rows: both paths must produce the same bytes.
        let w = 64;
        let mut seed = 0x2545_f491_u32;
        let mut row = || -> Vec<u8> {
            (0..w * 4)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    if i % 4 == 3 { 255 } else { seed as u8 }
                })
                .collect()
        };
        let (top, bottom) = (row(), row());
        let mut fast = (vec![0; w], vec![0; w], vec![0; w / 2], vec![0; w / 2]);
        let mut general = fast.clone();
        convert_opaque_row_pair(&top, &bottom, &mut fast.0, &mut fast.1, &mut fast.2, &mut fast.3);
        convert_mixed_row_pair(&top, &bottom, &mut general.0, &mut general.1, &mut general.2, &mut general.3);
        assert_eq!(fast, general);
        assert!(is_opaque(&top) && !is_opaque(&[0, 0, 0, 254]));
    }

    fn solid(w: u32, h: u32, px: [u8; 4]) -> Vec<u8> {
        px.iter().copied().cycle().take((w * h * 4) as usize).collect()
    }

    fn convert(rgba: &[u8], w: u32, h: u32) -> Vec<u8> {
        let mut out = vec![0; yuv420p_len(w, h)];
        rgba_to_yuv420p(rgba, w, h, &mut out);
        out
    }

    /// Float reference straight from the BT.709 definition.
    fn reference(r: f64, g: f64, b: f64) -> (f64, f64, f64) {
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        (16.0 + 219.0 * y / 255.0, 128.0 + 224.0 * (b - y) / 1.8556 / 255.0, 128.0 + 224.0 * (r - y) / 1.5748 / 255.0)
    }

    #[test]
    fn black_white_and_grey_hit_the_limited_range_ends() {
        assert_eq!(convert(&solid(2, 2, [0, 0, 0, 255]), 2, 2), vec![16, 16, 16, 16, 128, 128]);
        assert_eq!(convert(&solid(2, 2, [255, 255, 255, 255]), 2, 2), vec![235, 235, 235, 235, 128, 128]);
        let grey = convert(&solid(2, 2, [128, 128, 128, 255]), 2, 2);
        assert_eq!(&grey[4..], &[128, 128]);
    }

    #[test]
    fn every_color_is_within_one_step_of_the_float_reference() {
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(51) {
                    let out = convert(&solid(2, 2, [r as u8, g as u8, b as u8, 255]), 2, 2);
                    let (y, u, v) = reference(f64::from(r), f64::from(g), f64::from(b));
                    for (got, want) in [(out[0], y), (out[4], u), (out[5], v)] {
                        assert!((f64::from(got) - want).abs() <= 0.51, "rgb {r},{g},{b}: {got} vs {want:.2}");
                    }
                }
            }
        }
    }

    #[test]
    fn chroma_is_the_average_of_the_block() {
        // Left column red, right column blue: chroma of the block is that of their mix.
        let mut rgba = Vec::new();
        for _ in 0..2 {
            rgba.extend_from_slice(&[255, 0, 0, 255, 0, 0, 255, 255]);
        }
        let out = convert(&rgba, 2, 2);
        let (_, u, v) = reference(127.5, 0.0, 127.5);
        assert!((f64::from(out[4]) - u).abs() <= 0.51 && (f64::from(out[5]) - v).abs() <= 0.51);
        // Luma is per pixel, not averaged.
        assert_ne!(out[0], out[1]);
        assert_eq!(out[0], out[2]);
    }

    #[test]
    fn planes_are_laid_out_per_block() {
        // 4x2 frame: left block white, right block black.
        let mut rgba = Vec::new();
        for _ in 0..2 {
            rgba.extend_from_slice(&[255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
        }
        assert_eq!(convert(&rgba, 4, 2), vec![235, 235, 16, 16, 235, 235, 16, 16, 128, 128, 128, 128]);
    }

    #[test]
    fn translucent_pixels_are_unpremultiplied() {
        // 50% red, premultiplied: (128, 0, 0, 128) is straight (255, 0, 0).
        let half = convert(&solid(2, 2, [128, 0, 0, 128]), 2, 2);
        let full = convert(&solid(2, 2, [255, 0, 0, 255]), 2, 2);
        assert_eq!(half, full);
        assert_eq!(convert(&solid(2, 2, [0, 0, 0, 0]), 2, 2), vec![16, 16, 16, 16, 128, 128]);
        let mut straight = [0u8; 8];
        unpremultiply(&[64, 32, 0, 128, 10, 20, 30, 255], &mut straight);
        assert_eq!(straight, [128, 64, 0, 128, 10, 20, 30, 255]);
    }

    /// Xorshift bytes: deterministic pseudo-random test frames.
    fn noise(seed: &mut u32, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 17;
                *seed ^= *seed << 5;
                *seed as u8
            })
            .collect()
    }

    #[test]
    fn the_stream_equals_converting_every_frame_whole() {
        // Frames that each change a random set of rows (single rows, pairs, runs, none, all) of
        // the previous one, with opaque, translucent and transparent pixels, must give exactly
        // the bytes of a full conversion when the changed rows are named, exactly or loosely.
        let (w, h) = (24u32, 18u32);
        let row = w as usize * 4;
        let mut seed = 0x9e37_79b9_u32;
        let mut frame = noise(&mut seed, row * h as usize);
        let mut stream = Yuv420pStream::new(w, h);
        for n in 0..300 {
            let pick = noise(&mut seed, h as usize + 2);
            let mut changed: Vec<Range<u32>> = Vec::new();
            for y in 0..h as usize {
                let change = match n % 5 {
                    0 => pick[y] < 40,
                    1 => pick[y / 2] < 60,
                    2 => (usize::from(pick[h as usize]) % 9..usize::from(pick[h as usize + 1]) % 19).contains(&y),
                    3 => false,
                    _ => true,
                };
                // Sometimes a row is named as changed without changing, as damage may be loose.
                if change || pick[y] > 250 {
                    changed.push(y as u32..y as u32 + 1);
                }
                if !change {
                    continue;
                }
                let mut new = noise(&mut seed, row);
                // Mostly opaque, like chat frames; some fully transparent pixels too.
                for (i, a) in new.iter_mut().enumerate().skip(3).step_by(4) {
                    *a = match i % 7 {
                        0 => 0,
                        1 | 2 => *a,
                        _ => 255,
                    };
                }
                // A change can be as small as one byte of one pixel.
                if pick[y].is_multiple_of(3) {
                    new.copy_from_slice(&frame[y * row..(y + 1) * row]);
                    let i = usize::from(pick[y]) % row;
                    new[i] = new[i].wrapping_add(1);
                }
                frame[y * row..(y + 1) * row].copy_from_slice(&new);
            }
            // Adjacent rows as one range, as the renderer reports them.
            if n % 2 == 0 {
                changed.dedup_by(|next, prev| {
                    let touch = next.start == prev.end;
                    if touch {
                        prev.end = next.end;
                    }
                    touch
                });
            }
            let mut got = vec![0xee; yuv420p_len(w, h)];
            stream.convert(&frame, &changed, &mut got);
            assert_eq!(got, convert(&frame, w, h), "frame {n}");
        }
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not in the damage")]
    fn a_change_outside_the_damage_is_caught_in_debug_builds() {
        let mut frame = solid(4, 4, [10, 20, 30, 255]);
        let mut stream = Yuv420pStream::new(4, 4);
        let mut out = vec![0; yuv420p_len(4, 4)];
        stream.convert(&frame, &[], &mut out);
        frame[3 * 16] = 11;
        stream.convert(&frame, std::slice::from_ref(&(0..2)), &mut out);
    }

    #[test]
    #[should_panic(expected = "even dimensions")]
    fn odd_sizes_are_refused() {
        convert(&solid(3, 2, [0, 0, 0, 255]), 3, 2);
    }
}
