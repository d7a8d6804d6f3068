//! The phone chrome: status bar, conversation header and input bar. Each is a screen-wide layer
//! drawn once per state (e.g. header with "typing…", input bar with each typed prefix) and
//! copied onto frames.

use chatframe_model::{Project, Side};
use tiny_skia::Pixmap;

use crate::block::draw_avatar;
use crate::fonts::{Fonts, TextStyle};
use crate::geometry::Geometry;
use crate::layout::AvatarPaint;
use crate::paint::{Rgba, composite};
use crate::shapes::{self, icons};
use crate::theme::{HeaderStyle, ThemeSpec};

/// What the header shows besides the fixed title.
pub struct HeaderInfo {
    pub title: String,
    pub subtitle: Option<String>,
    pub avatars: Vec<AvatarPaint>,
}

/// Title, subtitle and avatars from the project, with the defaults of each platform.
pub fn header_info(project: &Project, avatars: Vec<AvatarPaint>) -> HeaderInfo {
    let others: Vec<&str> =
        project.participants.iter().filter(|p| p.side == Side::Them).map(|p| p.name.as_str()).collect();
    let group = others.len() > 1;
    let title = project.theme.header.title.clone().unwrap_or_else(|| match others.as_slice() {
        [] => "Chat".into(),
        [one] => (*one).to_string(),
        many => many.join(", "),
    });
    let subtitle = project.theme.header.subtitle.clone().or_else(|| match project.theme.platform {
        chatframe_model::Platform::Whatsapp if group => {
            let mut names: Vec<&str> = others.clone();
            names.push("You");
            Some(names.join(", "))
        }
        chatframe_model::Platform::Whatsapp => Some("online".into()),
        _ if group => Some(format!("{} people", others.len() + 1)),
        _ => None,
    });
    HeaderInfo { title, subtitle, avatars }
}

/// Status bar and header in one layer (they never move independently).
pub fn draw_top(
    fonts: &mut Fonts,
    t: &ThemeSpec,
    g: &Geometry,
    project: &Project,
    info: &HeaderInfo,
    typing_sub: Option<&str>,
) -> Pixmap {
    let s = g.s;
    let w = g.screen_w;
    let mut p = Pixmap::new(w as u32, (g.status_h + g.header_h).max(1.0) as u32).expect("chrome size");
    shapes::fill_rect(&mut p, 0.0, 0.0, w, g.status_h, t.status_bar_bg);
    shapes::fill_rect(&mut p, 0.0, g.status_h, w, g.header_h, t.header_bg);
    if g.status_h > 0.0 {
        let sb = &project.theme.status_bar;
        let l = fonts.layout(&sb.time, TextStyle::new(16.5 * s, 20.0 * s, 600), 100.0 * s);
        let cy = g.status_h * 0.56;
        fonts.draw(&l, &mut p, 52.0 * s - l.width / 2.0, cy - l.height / 2.0, t.status_bar_fg);
        let right = w - 26.0 * s;
        icons::battery(&mut p, right - 25.0 * s, cy - 6.0 * s, s, sb.battery, t.status_bar_fg);
        icons::wifi(&mut p, right - 40.0 * s, cy + 5.0 * s, s, t.status_bar_fg);
        icons::signal(&mut p, right - 72.0 * s, cy - 6.0 * s, s, sb.signal, t.status_bar_fg);
    }
    let top = g.status_h;
    let hh = g.header_h;
    match t.header_style {
        HeaderStyle::Centered => {
            icons::chevron_left(&mut p, 12.0 * s, top + hh * 0.5 - 20.0 * s, 20.0 * s, t.accent, 3.0 * s);
            let size = 44.0 * s;
            let n = info.avatars.len().clamp(1, 3);
            let overlap = size * 0.55;
            let total = size + overlap * (n - 1) as f32;
            for (i, a) in info.avatars.iter().take(3).enumerate() {
                let x = (w - total) / 2.0 + i as f32 * overlap;
                draw_avatar(&mut p, fonts, a, x, top + 4.0 * s, size);
            }
            let title = fonts.layout(&info.title, TextStyle::new(11.5 * s, 14.0 * s, 500), w * 0.6);
            let sub = typing_sub.map(str::to_string).or_else(|| info.subtitle.clone());
            let ty = top + 4.0 * s + size + 5.0 * s;
            let label = match &sub {
                Some(sub) => format!("{} · {}", info.title, sub),
                None => info.title.clone(),
            };
            let l = if sub.is_some() {
                fonts.layout(&label, TextStyle::new(11.5 * s, 14.0 * s, 500), w * 0.7)
            } else {
                title
            };
            let tx = (w - l.width) / 2.0 - 3.0 * s;
            fonts.draw(&l, &mut p, tx, ty, t.header_fg);
            let mut pb = tiny_skia::PathBuilder::new();
            let (cx, cy) = (tx + l.width + 4.0 * s, ty + l.height / 2.0);
            pb.move_to(cx, cy - 3.5 * s);
            pb.line_to(cx + 3.5 * s, cy);
            pb.line_to(cx, cy + 3.5 * s);
            shapes::stroke(&mut p, pb.finish(), t.secondary_text, 1.4 * s);
            icons::video(&mut p, w - 30.0 * s, top + hh * 0.5 - 6.0 * s, s, t.accent);
        }
        HeaderStyle::Row => {
            let cy = top + hh / 2.0;
            icons::arrow_left(&mut p, 12.0 * s, cy - 9.0 * s, 18.0 * s, t.header_fg, 2.2 * s);
            let size = 38.0 * s;
            if let Some(a) = info.avatars.first() {
                draw_avatar(&mut p, fonts, a, 38.0 * s, cy - size / 2.0, size);
            }
            let tx = 38.0 * s + size + 10.0 * s;
            let max_w = w - tx - 110.0 * s;
            let title = fonts.layout(&info.title, TextStyle::new(17.0 * s, 21.0 * s, 600), max_w);
            let sub_text = typing_sub.map(str::to_string).or_else(|| info.subtitle.clone());
            match sub_text {
                Some(sub) => {
                    let sl = fonts.layout(&sub, TextStyle::new(13.0 * s, 16.0 * s, 400), max_w);
                    let sl = clip_line(fonts, sl, &sub, TextStyle::new(13.0 * s, 16.0 * s, 400), max_w);
                    let total = 21.0 * s + sl.height;
                    fonts.draw(&title, &mut p, tx, cy - total / 2.0, t.header_fg);
                    fonts.draw(&sl, &mut p, tx, cy - total / 2.0 + 21.0 * s, t.header_sub);
                }
                None => fonts.draw(&title, &mut p, tx, cy - title.height / 2.0, t.header_fg),
            }
            icons::video(&mut p, w - 96.0 * s, cy, s, t.header_fg);
            icons::phone(&mut p, w - 56.0 * s, cy, s, t.header_fg);
            icons::dots_vertical(&mut p, w - 20.0 * s, cy, s, t.header_fg);
        }
    }
    if let Some(line) = t.header_hairline {
        shapes::fill_rect(&mut p, 0.0, top + hh - 1.0, w, 1.0, line);
    }
    p
}

/// Keeps a subtitle on one line by cutting it with an ellipsis.
fn clip_line(
    fonts: &mut Fonts,
    l: crate::fonts::TextLayout,
    text: &str,
    style: TextStyle,
    max_w: f32,
) -> crate::fonts::TextLayout {
    if l.height <= style.line_height * 1.01 {
        return l;
    }
    let mut chars: Vec<char> = text.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let cut: String = chars.iter().collect::<String>() + "…";
        let l = fonts.layout(&cut, style, max_w);
        if l.height <= style.line_height * 1.01 {
            return l;
        }
    }
    l
}

/// The input bar with `typed` text in the field (empty shows the placeholder).
pub fn draw_input(fonts: &mut Fonts, t: &ThemeSpec, g: &Geometry, typed: &str, cursor: bool) -> Pixmap {
    let s = g.s;
    let w = g.screen_w;
    let h = g.input_h;
    let mut p = Pixmap::new(w as u32, h.max(1.0) as u32).expect("input size");
    p.fill(t.input_bg.skia());
    let bar_h = t.input_height * s;
    let field_h = 36.0 * s;
    let cy = bar_h / 2.0;
    let (fx, fw) = match t.header_style {
        HeaderStyle::Centered => {
            icons::plus_circle(
                &mut p,
                26.0 * s,
                cy,
                16.0 * s,
                if t.dark { Rgba::hex(0x2c2c2e) } else { Rgba::hex(0xe9e9eb) },
                t.input_icon,
                s,
            );
            (50.0 * s, w - 60.0 * s)
        }
        HeaderStyle::Row => (8.0 * s, w - 66.0 * s),
    };
    let radius = field_h / 2.0;
    shapes::fill(&mut p, shapes::rounded_rect(fx, cy - field_h / 2.0, fw, field_h, radius), t.input_field_bg);
    if let Some(border) = t.input_field_border {
        shapes::stroke(&mut p, shapes::rounded_rect(fx, cy - field_h / 2.0, fw, field_h, radius), border, 1.0 * s);
    }
    let style = TextStyle::new(t.font_size * s, t.line_height * s, 400);
    let (text_x, text_right) = match t.header_style {
        HeaderStyle::Centered => (fx + 14.0 * s, fx + fw - 36.0 * s),
        HeaderStyle::Row => (fx + 42.0 * s, fx + fw - 70.0 * s),
    };
    let avail = (text_right - text_x).max(1.0);
    if typed.is_empty() {
        let l = fonts.layout(t.input_placeholder, style, avail);
        fonts.draw(&l, &mut p, text_x, cy - l.height / 2.0, t.input_icon);
    } else {
        // One line that scrolls left as it grows, like a real text field.
        let l = fonts.layout(typed, style, 100_000.0);
        let field_w = avail.ceil() as u32;
        let mut line = Pixmap::new(field_w.max(1), (style.line_height + 4.0 * s).ceil() as u32).expect("line");
        let cursor_w = 2.0 * s;
        let offset = (l.width + cursor_w + 2.0 * s - avail).max(0.0);
        fonts.draw(&l, &mut line, -offset, 2.0 * s, t.input_text);
        if cursor {
            // Whole pixels, at least one wide and inside the line: a sub-pixel caret at small
            // sizes went through tiny-skia's hairline path, which asserts when it leaves the pixmap.
            let w = cursor_w.round().max(1.0);
            let x = (l.width - offset + 1.5 * s).round().clamp(0.0, line.width() as f32 - w);
            let y = (3.0 * s).round();
            let h = (style.line_height - 2.0 * s).round().min(line.height() as f32 - y).max(1.0);
            shapes::fill_rect(&mut line, x, y, w, h, t.accent);
        }
        let ly = (cy - line.height() as f32 / 2.0).round() as i32;
        let clip = (0, p.height() as i32);
        composite(&mut p, &line, text_x.round() as i32, ly, 255, clip);
    }
    match t.header_style {
        HeaderStyle::Centered => {
            if typed.is_empty() {
                icons::mic(&mut p, fx + fw - 18.0 * s, cy, s, t.input_icon);
            } else {
                shapes::fill(&mut p, shapes::circle(fx + fw - 16.0 * s, cy, 13.0 * s), t.accent);
                let mut pb = tiny_skia::PathBuilder::new();
                let (ax, ay) = (fx + fw - 16.0 * s, cy);
                pb.move_to(ax, ay + 6.5 * s);
                pb.line_to(ax, ay - 6.5 * s);
                pb.move_to(ax - 5.5 * s, ay - 1.5 * s);
                pb.line_to(ax, ay - 6.5 * s);
                pb.line_to(ax + 5.5 * s, ay - 1.5 * s);
                shapes::stroke(&mut p, pb.finish(), Rgba::hex(0xffffff), 2.2 * s);
            }
        }
        HeaderStyle::Row => {
            icons::smiley(&mut p, fx + 21.0 * s, cy, s, t.input_icon);
            icons::paperclip(&mut p, fx + fw - 52.0 * s, cy, s, t.input_icon);
            if typed.is_empty() {
                icons::camera(&mut p, fx + fw - 22.0 * s, cy, s, t.input_icon);
            }
            let bx = w - 29.0 * s;
            shapes::fill(&mut p, shapes::circle(bx, cy, 23.0 * s), t.accent);
            if typed.is_empty() {
                icons::mic(&mut p, bx, cy, s, Rgba::hex(0xffffff));
            } else {
                let mut pb = tiny_skia::PathBuilder::new();
                pb.move_to(bx - 7.0 * s, cy - 8.0 * s);
                pb.line_to(bx + 9.0 * s, cy);
                pb.line_to(bx - 7.0 * s, cy + 8.0 * s);
                pb.line_to(bx - 4.0 * s, cy);
                pb.close();
                shapes::fill(&mut p, pb.finish(), Rgba::hex(0xffffff));
            }
        }
    }
    // Home indicator.
    let hw = 134.0 * s;
    let fg = if t.dark { Rgba::hex(0xffffff) } else { Rgba::hex(0x000000) };
    shapes::fill(&mut p, shapes::rounded_rect((w - hw) / 2.0, h - 13.0 * s, hw, 5.0 * s, 2.5 * s), fg);
    p
}
