//! Where things go on the canvas: the phone screen, chrome bands and the message list.

use crate::theme::{SCREEN_PT, ThemeSpec};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Output pixels per theme point.
    pub s: f32,
    pub width: u32,
    pub height: u32,
    /// The phone screen inside the canvas (the whole canvas for portrait video).
    pub screen_x: f32,
    pub screen_y: f32,
    pub screen_w: f32,
    pub screen_h: f32,
    /// True when the screen is a card inside a wider canvas (16:9, 1:1).
    pub framed: bool,
    pub status_h: f32,
    pub header_h: f32,
    /// Input bar plus home indicator.
    pub input_h: f32,
    pub list_top: f32,
    pub list_bottom: f32,
}

impl Geometry {
    pub fn new(width: u32, height: u32, theme: &ThemeSpec, status_bar: bool) -> Geometry {
        let (w, h) = (width as f32, height as f32);
        // Portrait canvases show the screen edge to edge; wider ones show it as a centered card
        // (9:19.5 like a modern phone) with the background around it.
        let framed = w / h > 0.62;
        let (screen_x, screen_y, screen_w, screen_h) = if framed {
            let sh = (h * 0.94).round();
            let sw = (sh * 9.0 / 19.5).round();
            (((w - sw) / 2.0).round(), ((h - sh) / 2.0).round(), sw, sh)
        } else {
            (0.0, 0.0, w, h)
        };
        let s = screen_w / SCREEN_PT;
        let status_h = if status_bar { (theme.status_bar_height * s).round() } else { 0.0 };
        let header_h = (theme.header_height * s).round();
        let input_h = ((theme.input_height + theme.home_indicator) * s).round();
        let list_top = screen_y + status_h + header_h;
        let list_bottom = screen_y + screen_h - input_h;
        Geometry {
            s,
            width,
            height,
            screen_x,
            screen_y,
            screen_w,
            screen_h,
            framed,
            status_h,
            header_h,
            input_h,
            list_top,
            list_bottom,
        }
    }

    /// Height of the visible message list in pixels.
    pub fn list_height(&self) -> f32 {
        (self.list_bottom - self.list_top).max(1.0)
    }
}
