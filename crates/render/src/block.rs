//! Rasterizing a measured block into its own pixmap. Done once per block and look, then the
//! pixmap is composited on every frame the block is visible.

use tiny_skia::{GradientStop, LinearGradient, Pixmap, Point, SpreadMode, Transform};

use crate::fonts::{Fonts, TextStyle};
use crate::images::{cover, draw_rounded};
use crate::layout::{AvatarPaint, Block};
use crate::paint::Rgba;
use crate::shapes::{self, icons};

/// Draws `block`; `last_of_group` decides the iMessage tail and avatar, which move to the newest
/// bubble of a group as it arrives.
pub fn rasterize(block: &Block, fonts: &mut Fonts, s: f32, last_of_group: bool) -> Pixmap {
    let mut p = Pixmap::new(block.width.max(1.0) as u32, block.height.max(1.0) as u32).expect("block size");
    if let Some((x, y, w, h)) = block.bubble {
        let tail = match block.tail {
            Some(crate::theme::TailAt::LastBottom) if !last_of_group => None,
            other => other,
        };
        let right = block.side == crate::layout::BlockSide::Me;
        let paths = shapes::bubble(x, y, w, h, block.radius, tail, right, s);
        let mut paint = block.bubble_color.paint();
        if let Some(bottom) = block.bubble_bottom
            && let Some(shader) = LinearGradient::new(
                Point::from_xy(0.0, y),
                Point::from_xy(0.0, y + h),
                vec![GradientStop::new(0.0, block.bubble_color.skia()), GradientStop::new(1.0, bottom.skia())],
                SpreadMode::Pad,
                Transform::identity(),
            )
        {
            paint.shader = shader;
        }
        for path in &paths {
            p.fill_path(path, &paint, tiny_skia::FillRule::Winding, Transform::identity(), None);
        }
    }
    if let Some(photo) = &block.photo {
        let pm = cover(&photo.image, photo.w, photo.h);
        draw_rounded(&mut p, &pm, photo.x, photo.y, photo.radius);
    }
    if let Some((x, y, w, h, color)) = block.voice {
        draw_voice_note(&mut p, fonts, x, y, w, h, color, s);
    }
    for t in &block.texts {
        fonts.draw(&t.layout, &mut p, t.x, t.y, t.color);
    }
    if let Some((x, y, two, color)) = block.ticks {
        icons::ticks(&mut p, x, y, s, two, color);
    }
    if let Some(a) = &block.avatar
        && (last_of_group || block.tail == Some(crate::theme::TailAt::FirstTop))
    {
        draw_avatar(&mut p, fonts, &a.avatar, a.x, a.y, a.size);
    }
    p
}

/// A circular avatar: the image cropped to a disc, or initials on a colored disc.
pub fn draw_avatar(p: &mut Pixmap, fonts: &mut Fonts, avatar: &AvatarPaint, x: f32, y: f32, size: f32) {
    match avatar {
        AvatarPaint::Image(img) => {
            let px = size.round().max(1.0) as u32;
            draw_rounded(p, &cover(img, px, px), x, y, size / 2.0);
        }
        AvatarPaint::Initials { text, color } => {
            // A soft vertical gradient like the iOS contact placeholder.
            let top = color.mix(Rgba::hex(0xffffff), 0.18);
            if let Some(path) = shapes::circle(x + size / 2.0, y + size / 2.0, size / 2.0) {
                let mut paint = tiny_skia::Paint { anti_alias: true, ..Default::default() };
                if let Some(shader) = LinearGradient::new(
                    Point::from_xy(0.0, y),
                    Point::from_xy(0.0, y + size),
                    vec![GradientStop::new(0.0, top.skia()), GradientStop::new(1.0, color.skia())],
                    SpreadMode::Pad,
                    Transform::identity(),
                ) {
                    paint.shader = shader;
                }
                p.fill_path(&path, &paint, tiny_skia::FillRule::Winding, Transform::identity(), None);
            }
            let style = TextStyle::new(size * 0.42, size * 0.5, 600);
            let l = fonts.layout(text, style, size * 2.0);
            fonts.draw(&l, p, x + (size - l.width) / 2.0, y + (size - l.height) / 2.0, Rgba::hex(0xffffff));
        }
    }
}

/// Play button, a deterministic waveform and the note's length.
#[allow(clippy::too_many_arguments)]
fn draw_voice_note(p: &mut Pixmap, fonts: &mut Fonts, x: f32, y: f32, w: f32, h: f32, color: Rgba, s: f32) {
    let cy = y + h / 2.0;
    let mut pb = tiny_skia::PathBuilder::new();
    pb.move_to(x + 2.0 * s, cy - 7.0 * s);
    pb.line_to(x + 14.0 * s, cy);
    pb.line_to(x + 2.0 * s, cy + 7.0 * s);
    pb.close();
    shapes::fill(p, pb.finish(), color);
    let label = fonts.layout("0:07", TextStyle::new(12.0 * s, 15.0 * s, 500), 60.0 * s);
    let wave_x0 = x + 24.0 * s;
    let wave_x1 = x + w - label.width - 10.0 * s;
    let bars = ((wave_x1 - wave_x0) / (4.0 * s)).max(1.0) as usize;
    for b in 0..bars {
        // A fixed pseudo-random envelope: looks like speech, identical on every render.
        let v = ((b as f32 * 1.7).sin() * 0.5 + (b as f32 * 0.61).cos() * 0.35 + 0.2).abs().min(1.0);
        let bh = (3.0 + v * 16.0) * s;
        shapes::fill(
            p,
            shapes::rounded_rect(wave_x0 + b as f32 * 4.0 * s, cy - bh / 2.0, 2.2 * s, bh, 1.1 * s),
            color.alpha(200),
        );
    }
    fonts.draw(&label, p, wave_x1 + 6.0 * s, cy - label.height / 2.0, color.alpha(210));
}
