//! Vector shapes: bubbles with tails, pills, circles and the small icons of the chrome.

use tiny_skia::{FillRule, Path, PathBuilder, Pixmap, Rect, Transform};

use crate::paint::Rgba;
use crate::theme::TailAt;

pub fn rounded_rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<Path> {
    let r = r.min(w / 2.0).min(h / 2.0).max(0.0);
    let mut pb = PathBuilder::new();
    // Circular arcs approximated with cubic Béziers (k = 0.5523).
    let k = 0.5523 * r;
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    pb.finish()
}

pub fn circle(cx: f32, cy: f32, r: f32) -> Option<Path> {
    PathBuilder::from_circle(cx, cy, r)
}

pub fn fill(p: &mut Pixmap, path: Option<Path>, color: Rgba) {
    if let Some(path) = path {
        p.fill_path(&path, &color.paint(), FillRule::Winding, Transform::identity(), None);
    }
}

pub fn fill_rect(p: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, color: Rgba) {
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        p.fill_rect(r, &color.paint(), Transform::identity(), None);
    }
}

pub fn stroke(p: &mut Pixmap, path: Option<Path>, color: Rgba, width: f32) {
    if let Some(path) = path {
        let stroke = tiny_skia::Stroke {
            width,
            line_cap: tiny_skia::LineCap::Round,
            line_join: tiny_skia::LineJoin::Round,
            ..Default::default()
        };
        p.stroke_path(&path, &color.paint(), &stroke, Transform::identity(), None);
    }
}

/// The tail of a chat bubble, drawn in the bubble's color beside its body.
/// `right` is the side of the screen the bubble is on; `x`/`y`/`w`/`h` its body; `s` px per pt.
#[allow(clippy::too_many_arguments)]
pub fn tail(pb: &mut PathBuilder, style: TailAt, right: bool, x: f32, y: f32, w: f32, h: f32, s: f32) {
    let dir = if right { 1.0 } else { -1.0 };
    let edge = if right { x + w } else { x };
    match style {
        TailAt::LastBottom => {
            // The iMessage curl: leaves the bottom corner and flicks outward past the edge.
            let b = y + h;
            pb.move_to(edge - dir * 9.0 * s, b - 17.0 * s);
            pb.line_to(edge, b - 17.0 * s);
            pb.cubic_to(edge, b - 6.0 * s, edge + dir * 2.5 * s, b - 1.5 * s, edge + dir * 6.5 * s, b);
            pb.cubic_to(
                edge + dir * 1.0 * s,
                b + 0.6 * s,
                edge - dir * 4.5 * s,
                b - 0.8 * s,
                edge - dir * 8.0 * s,
                b - 3.0 * s,
            );
            pb.close();
        }
        TailAt::FirstTop => {
            // The WhatsApp notch: a small triangle at the top outer corner.
            pb.move_to(edge - dir * 6.0 * s, y);
            pb.line_to(edge + dir * 7.0 * s, y);
            pb.cubic_to(edge + dir * 5.5 * s, y + 1.5 * s, edge + dir * 3.0 * s, y + 4.0 * s, edge, y + 10.0 * s);
            pb.line_to(edge - dir * 6.0 * s, y + 10.0 * s);
            pb.close();
        }
    }
}

/// A bubble body and, when `tail_style` is given, its tail, as separate paths: filled one by one
/// so the tail's winding can never cancel the body's where they overlap.
#[allow(clippy::too_many_arguments)]
pub fn bubble(x: f32, y: f32, w: f32, h: f32, r: f32, tail_style: Option<TailAt>, right: bool, s: f32) -> Vec<Path> {
    let mut out: Vec<Path> = rounded_rect(x, y, w, h, r).into_iter().collect();
    let Some(style) = tail_style else { return out };
    // The WhatsApp body has a square corner where the notch joins it.
    if style == TailAt::FirstTop {
        let cx = if right { x + w - r } else { x };
        if let Some(rect) = Rect::from_xywh(cx, y, r, r) {
            out.push(PathBuilder::from_rect(rect));
        }
    }
    let mut pb = PathBuilder::new();
    tail(&mut pb, style, right, x, y, w, h, s);
    out.extend(pb.finish());
    out
}

/// Small icons of the chrome, drawn from primitives at size `u` (px per pt).
pub mod icons {
    use super::*;

    pub fn chevron_left(p: &mut Pixmap, x: f32, y: f32, size: f32, color: Rgba, width: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x + size * 0.55, y);
        pb.line_to(x, y + size * 0.5);
        pb.line_to(x + size * 0.55, y + size);
        stroke(p, pb.finish(), color, width);
    }

    pub fn arrow_left(p: &mut Pixmap, x: f32, y: f32, size: f32, color: Rgba, width: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x + size, y + size * 0.5);
        pb.line_to(x, y + size * 0.5);
        pb.move_to(x + size * 0.45, y + size * 0.05);
        pb.line_to(x, y + size * 0.5);
        pb.line_to(x + size * 0.45, y + size * 0.95);
        stroke(p, pb.finish(), color, width);
    }

    pub fn signal(p: &mut Pixmap, x: f32, y: f32, u: f32, bars: u8, color: Rgba) {
        for i in 0..4u8 {
            let h = (4.0 + 2.6 * i as f32) * u;
            let c = if i < bars { color } else { color.alpha(color.a / 3) };
            fill(p, rounded_rect(x + i as f32 * 4.6 * u, y + 12.0 * u - h, 3.2 * u, h, 1.0 * u), c);
        }
    }

    pub fn wifi(p: &mut Pixmap, cx: f32, by: f32, u: f32, color: Rgba) {
        for (i, r) in [3.0f32, 7.0, 11.0].iter().enumerate() {
            let mut pb = PathBuilder::new();
            let r = r * u;
            let a0 = -std::f32::consts::FRAC_PI_4 * 3.0;
            let steps = 12;
            for k in 0..=steps {
                let a = a0 + (std::f32::consts::FRAC_PI_2) * k as f32 / steps as f32;
                let (px, py) = (cx + r * a.cos(), by + r * a.sin());
                if k == 0 { pb.move_to(px, py) } else { pb.line_to(px, py) }
            }
            if i == 0 {
                fill(p, circle(cx, by - 1.6 * u, 1.9 * u), color);
            } else {
                stroke(p, pb.finish(), color, 2.1 * u);
            }
        }
    }

    pub fn battery(p: &mut Pixmap, x: f32, y: f32, u: f32, level: u8, color: Rgba) {
        let (w, h) = (25.0 * u, 12.0 * u);
        stroke(p, rounded_rect(x, y, w, h, 3.5 * u), color.alpha(color.a / 2), 1.0 * u);
        let inner = (w - 4.0 * u) * (level.min(100) as f32 / 100.0);
        fill(p, rounded_rect(x + 2.0 * u, y + 2.0 * u, inner.max(1.0), h - 4.0 * u, 2.0 * u), color);
        fill(p, rounded_rect(x + w + 1.2 * u, y + 4.0 * u, 1.6 * u, 4.0 * u, 0.8 * u), color.alpha(color.a / 2));
    }

    pub fn plus_circle(p: &mut Pixmap, cx: f32, cy: f32, r: f32, bg: Rgba, fg: Rgba, u: f32) {
        fill(p, circle(cx, cy, r), bg);
        let mut pb = PathBuilder::new();
        pb.move_to(cx - r * 0.45, cy);
        pb.line_to(cx + r * 0.45, cy);
        pb.move_to(cx, cy - r * 0.45);
        pb.line_to(cx, cy + r * 0.45);
        stroke(p, pb.finish(), fg, 2.0 * u);
    }

    pub fn mic(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        stroke(p, rounded_rect(cx - 3.5 * u, cy - 8.0 * u, 7.0 * u, 11.0 * u, 3.5 * u), color, 1.8 * u);
        let mut pb = PathBuilder::new();
        pb.move_to(cx - 6.0 * u, cy - 1.0 * u);
        pb.cubic_to(cx - 6.0 * u, cy + 6.0 * u, cx + 6.0 * u, cy + 6.0 * u, cx + 6.0 * u, cy - 1.0 * u);
        pb.move_to(cx, cy + 4.5 * u);
        pb.line_to(cx, cy + 8.0 * u);
        stroke(p, pb.finish(), color, 1.8 * u);
    }

    pub fn camera(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        stroke(p, rounded_rect(cx - 9.0 * u, cy - 6.0 * u, 18.0 * u, 13.0 * u, 3.0 * u), color, 1.8 * u);
        stroke(p, circle(cx, cy + 0.5 * u, 3.5 * u), color, 1.8 * u);
    }

    pub fn video(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        stroke(p, rounded_rect(cx - 11.0 * u, cy - 6.5 * u, 15.0 * u, 13.0 * u, 3.0 * u), color, 1.8 * u);
        let mut pb = PathBuilder::new();
        pb.move_to(cx + 5.5 * u, cy - 2.0 * u);
        pb.line_to(cx + 11.0 * u, cy - 5.5 * u);
        pb.line_to(cx + 11.0 * u, cy + 5.5 * u);
        pb.line_to(cx + 5.5 * u, cy + 2.0 * u);
        pb.close();
        stroke(p, pb.finish(), color, 1.8 * u);
    }

    pub fn phone(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        let mut pb = PathBuilder::new();
        pb.move_to(cx - 7.0 * u, cy - 8.0 * u);
        pb.cubic_to(cx - 10.0 * u, cy - 2.0 * u, cx + 2.0 * u, cy + 10.0 * u, cx + 8.0 * u, cy + 7.0 * u);
        stroke(p, pb.finish(), color, 3.2 * u);
    }

    pub fn dots_vertical(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        for k in [-1.0f32, 0.0, 1.0] {
            fill(p, circle(cx, cy + k * 6.0 * u, 1.9 * u), color);
        }
    }

    pub fn smiley(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        stroke(p, circle(cx, cy, 9.0 * u), color, 1.7 * u);
        fill(p, circle(cx - 3.2 * u, cy - 2.5 * u, 1.3 * u), color);
        fill(p, circle(cx + 3.2 * u, cy - 2.5 * u, 1.3 * u), color);
        let mut pb = PathBuilder::new();
        pb.move_to(cx - 4.5 * u, cy + 2.0 * u);
        pb.cubic_to(cx - 2.0 * u, cy + 5.5 * u, cx + 2.0 * u, cy + 5.5 * u, cx + 4.5 * u, cy + 2.0 * u);
        stroke(p, pb.finish(), color, 1.7 * u);
    }

    pub fn paperclip(p: &mut Pixmap, cx: f32, cy: f32, u: f32, color: Rgba) {
        let mut pb = PathBuilder::new();
        pb.move_to(cx + 4.0 * u, cy - 3.0 * u);
        pb.line_to(cx - 3.0 * u, cy + 4.0 * u);
        pb.cubic_to(cx - 6.0 * u, cy + 7.0 * u, cx - 9.0 * u, cy + 3.0 * u, cx - 6.0 * u, cy);
        pb.line_to(cx + 2.0 * u, cy - 8.0 * u);
        pb.cubic_to(cx + 5.0 * u, cy - 11.0 * u, cx + 9.0 * u, cy - 7.0 * u, cx + 6.0 * u, cy - 4.0 * u);
        pb.line_to(cx - 1.0 * u, cy + 3.0 * u);
        stroke(p, pb.finish(), color, 1.7 * u);
    }

    /// WhatsApp delivery ticks: one (sent) or two (delivered/read).
    pub fn ticks(p: &mut Pixmap, x: f32, y: f32, u: f32, two: bool, color: Rgba) {
        let mut pb = PathBuilder::new();
        pb.move_to(x, y + 4.0 * u);
        pb.line_to(x + 3.0 * u, y + 7.0 * u);
        pb.line_to(x + 9.0 * u, y);
        if two {
            pb.move_to(x + 6.5 * u, y + 6.0 * u);
            pb.line_to(x + 7.5 * u, y + 7.0 * u);
            pb.line_to(x + 13.5 * u, y);
        }
        stroke(p, pb.finish(), color, 1.4 * u);
    }
}
