//! The static base of every frame: the project background, the platform wallpaper, and for
//! framed (non-portrait) canvases the phone card around the screen.

use std::path::Path;

use chatframe_model::Background;
use tiny_skia::{GradientStop, LinearGradient, Pixmap, Point, SpreadMode, Transform};

use crate::RenderError;
use crate::geometry::Geometry;
use crate::images::{ImageCache, cover};
use crate::paint::{Rgba, composite};
use crate::shapes;
use crate::theme::ThemeSpec;

/// Fills `p` with the project background over the whole canvas.
fn paint_background(
    p: &mut Pixmap,
    bg: &Background,
    fallback: Rgba,
    images: &mut ImageCache,
    base: &Path,
) -> Result<(), RenderError> {
    let (w, h) = (p.width() as f32, p.height() as f32);
    match bg {
        Background::Theme | Background::Blur => p.fill(fallback.skia()),
        Background::Transparent => p.fill(tiny_skia::Color::TRANSPARENT),
        Background::Solid { color } => p.fill(Rgba::from(*color).skia()),
        Background::Gradient { from, to, angle } => {
            // 0° runs top to bottom, 90° left to right, through the canvas center.
            let a = angle.to_radians();
            let (dx, dy) = (a.sin(), a.cos());
            let half = (dx.abs() * w + dy.abs() * h) / 2.0;
            let (cx, cy) = (w / 2.0, h / 2.0);
            let shader = LinearGradient::new(
                Point::from_xy(cx - dx * half, cy - dy * half),
                Point::from_xy(cx + dx * half, cy + dy * half),
                vec![GradientStop::new(0.0, Rgba::from(*from).skia()), GradientStop::new(1.0, Rgba::from(*to).skia())],
                SpreadMode::Pad,
                Transform::identity(),
            );
            match shader {
                Some(shader) => {
                    let paint = tiny_skia::Paint { shader, ..Default::default() };
                    p.fill_rect(
                        tiny_skia::Rect::from_xywh(0.0, 0.0, w, h).expect("canvas"),
                        &paint,
                        Transform::identity(),
                        None,
                    );
                }
                None => p.fill(Rgba::from(*from).skia()),
            }
        }
        Background::Image { path } => {
            let img = images.load(base, path, "canvas.background.path")?;
            let layer = cover(&img, p.width(), p.height());
            p.data_mut().copy_from_slice(layer.data());
        }
    }
    Ok(())
}

/// A faint, deterministic doodle pattern in the spirit of WhatsApp's wallpaper.
fn doodles(p: &mut Pixmap, x0: f32, y0: f32, w: f32, h: f32, s: f32, color: Rgba) {
    let cell = 46.0 * s;
    let mut row = 0;
    let mut y = y0 + cell * 0.3;
    while y < y0 + h {
        let mut x = x0 + if row % 2 == 0 { cell * 0.25 } else { cell * 0.75 };
        let mut col = 0;
        while x < x0 + w {
            let k = (row * 7 + col * 13) % 5;
            match k {
                0 => shapes::stroke(p, shapes::circle(x, y, 6.0 * s), color, 1.6 * s),
                1 => shapes::stroke(
                    p,
                    shapes::rounded_rect(x - 6.0 * s, y - 5.0 * s, 12.0 * s, 10.0 * s, 3.0 * s),
                    color,
                    1.6 * s,
                ),
                2 => {
                    let mut pb = tiny_skia::PathBuilder::new();
                    pb.move_to(x - 7.0 * s, y + 3.0 * s);
                    pb.cubic_to(x - 3.0 * s, y - 6.0 * s, x + 3.0 * s, y + 6.0 * s, x + 7.0 * s, y - 3.0 * s);
                    shapes::stroke(p, pb.finish(), color, 1.6 * s);
                }
                3 => {
                    let mut pb = tiny_skia::PathBuilder::new();
                    pb.move_to(x, y - 6.0 * s);
                    pb.line_to(x + 6.0 * s, y + 5.0 * s);
                    pb.line_to(x - 6.0 * s, y + 5.0 * s);
                    pb.close();
                    shapes::stroke(p, pb.finish(), color, 1.6 * s);
                }
                _ => shapes::fill(p, shapes::circle(x, y, 2.2 * s), color),
            }
            x += cell;
            col += 1;
        }
        y += cell * 0.62;
        row += 1;
    }
}

/// The base layer, drawn once per renderer. `stage`, when given, is what lies around a framed
/// phone instead of the background (see `stage.rs`).
pub fn base_layer(
    bg: &Background,
    theme: &ThemeSpec,
    g: &Geometry,
    images: &mut ImageCache,
    base: &Path,
    stage: Option<&Pixmap>,
) -> Result<Pixmap, RenderError> {
    let mut p = Pixmap::new(g.width, g.height).expect("canvas checked by the model");
    // The platform's wallpaper (and doodles) on the screen unless the project chose its own.
    let custom = !matches!(bg, Background::Theme | Background::Blur);
    // Around a framed phone the theme background is a neutral studio backdrop.
    let outside = if theme.dark { Rgba::hex(0x1b1d21) } else { Rgba::hex(0xdfe3ea) };
    match stage {
        Some(stage) if g.framed => p.data_mut().copy_from_slice(stage.data()),
        _ => paint_background(&mut p, bg, if g.framed { outside } else { theme.wallpaper }, images, base)?,
    }
    if g.framed {
        let s = g.s;
        let r = 44.0 * s;
        let bezel = 10.0 * s;
        // Soft shadow, then the bezel, then the screen.
        for i in 0..6 {
            let grow = (6 - i) as f32 * 3.0 * s;
            shapes::fill(
                &mut p,
                shapes::rounded_rect(
                    g.screen_x - bezel - grow,
                    g.screen_y - bezel - grow + 6.0 * s,
                    g.screen_w + 2.0 * (bezel + grow),
                    g.screen_h + 2.0 * (bezel + grow),
                    r + bezel + grow,
                ),
                Rgba::new(0, 0, 0, 10),
            );
        }
        shapes::fill(
            &mut p,
            shapes::rounded_rect(
                g.screen_x - bezel,
                g.screen_y - bezel,
                g.screen_w + 2.0 * bezel,
                g.screen_h + 2.0 * bezel,
                r + bezel,
            ),
            Rgba::hex(0x111111),
        );
        let mut screen = Pixmap::new(g.screen_w as u32, g.screen_h as u32).expect("screen");
        if custom {
            paint_background(&mut screen, bg, theme.wallpaper, images, base)?;
        } else {
            screen.fill(theme.wallpaper.skia());
        }
        if let (Some(c), false) = (theme.wallpaper_pattern, custom) {
            doodles(&mut screen, 0.0, 0.0, g.screen_w, g.screen_h, s, c);
        }
        let mut masked = Pixmap::new(screen.width(), screen.height()).expect("screen");
        crate::images::draw_rounded(&mut masked, &screen, 0.0, 0.0, r);
        composite(&mut p, &masked, g.screen_x as i32, g.screen_y as i32, 255, (0, g.height as i32));
    } else if let (Some(c), false) = (theme.wallpaper_pattern, custom) {
        doodles(&mut p, 0.0, g.list_top, g.screen_w, g.list_bottom - g.list_top, g.s, c);
    }
    Ok(p)
}

/// In framed mode, the screen's rounded corners must also clip the chrome drawn on top; this
/// layer holds the canvas outside the rounded screen so it can be laid over the corner areas.
pub fn corner_masks(base: &Pixmap, g: &Geometry) -> Vec<(i32, i32, Pixmap)> {
    if !g.framed {
        return Vec::new();
    }
    let r = (44.0 * g.s).ceil() as u32;
    let (sx, sy, sw, sh) = (g.screen_x as i32, g.screen_y as i32, g.screen_w as i32, g.screen_h as i32);
    let mut out = Vec::new();
    for (cx, cy) in
        [(sx, sy), (sx + sw - r as i32, sy), (sx, sy + sh - r as i32), (sx + sw - r as i32, sy + sh - r as i32)]
    {
        let mut corner = Pixmap::new(r, r).expect("corner");
        // Copy the base (bezel + backdrop) for this corner, then cut out the rounded screen so
        // only the part outside the screen remains.
        for y in 0..r as i32 {
            for x in 0..r as i32 {
                let (bx, by) = (cx + x, cy + y);
                if let Some(px) = base.pixel(bx as u32, by as u32) {
                    // Distance from the corner's arc center decides inside/outside the screen.
                    let (ax, ay) = (
                        if bx < sx + r as i32 { (sx + r as i32) as f32 } else { (sx + sw - r as i32) as f32 },
                        if by < sy + r as i32 { (sy + r as i32) as f32 } else { (sy + sh - r as i32) as f32 },
                    );
                    let d = ((bx as f32 + 0.5 - ax).powi(2) + (by as f32 + 0.5 - ay).powi(2)).sqrt();
                    let outside = (d - r as f32 + 0.5).clamp(0.0, 1.0);
                    let inside_corner = (bx < sx + r as i32 || bx >= sx + sw - r as i32)
                        && (by < sy + r as i32 || by >= sy + sh - r as i32);
                    if inside_corner && outside > 0.0 {
                        let a = (outside * 255.0).round() as u32;
                        let i = ((y as u32 * r + x as u32) * 4) as usize;
                        let d = corner.data_mut();
                        d[i] = crate::paint::mul255(px.red() as u32, a) as u8;
                        d[i + 1] = crate::paint::mul255(px.green() as u32, a) as u8;
                        d[i + 2] = crate::paint::mul255(px.blue() as u32, a) as u8;
                        d[i + 3] = crate::paint::mul255(px.alpha() as u32, a) as u8;
                    }
                }
            }
        }
        out.push((cx, cy, corner));
    }
    out
}
