//! Platform looks as data. Values are in points of a 390-pt-wide phone screen (iPhone 14/15),
//! scaled to the output at draw time, and colors are sampled from the real apps.

use chatframe_model::{Appearance, Platform};

use crate::paint::Rgba;

/// Where the tail of a bubble group sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TailAt {
    /// iMessage: a curled tail at the bottom of the last bubble of a group.
    LastBottom,
    /// WhatsApp: a sharp notch at the top of the first bubble of a group.
    FirstTop,
}

/// How the other side's typing is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderStyle {
    /// Centered avatar above the name (iMessage).
    Centered,
    /// Back arrow, avatar, name and status in a row on a colored bar (WhatsApp).
    Row,
}

#[derive(Debug, Clone)]
pub struct ThemeSpec {
    pub platform: Platform,
    pub dark: bool,
    pub wallpaper: Rgba,
    /// Faint doodle pattern over the wallpaper (WhatsApp).
    pub wallpaper_pattern: Option<Rgba>,
    pub me_bubble: Rgba,
    /// Optional second color: iMessage's sent bubbles have a subtle vertical gradient.
    pub me_bubble_bottom: Option<Rgba>,
    pub me_text: Rgba,
    pub them_bubble: Rgba,
    pub them_text: Rgba,
    pub secondary_text: Rgba,
    /// Timestamp/ticks inside bubbles (WhatsApp), per side.
    pub meta_me: Rgba,
    pub meta_them: Rgba,
    pub read_tick: Rgba,
    pub accent: Rgba,
    pub font_size: f32,
    pub line_height: f32,
    pub bubble_pad_x: f32,
    pub bubble_pad_y: f32,
    pub radius: f32,
    pub max_bubble_ratio: f32,
    pub tail: TailAt,
    pub gap_same: f32,
    pub gap_other: f32,
    pub side_margin: f32,
    pub avatar_size: f32,
    /// Timestamp inside the bubble (WhatsApp).
    pub inline_time: bool,
    /// Sender name drawn inside the bubble (WhatsApp) or above it (iMessage).
    pub name_inside: bool,
    pub name_size: f32,
    pub status_bar_bg: Rgba,
    pub status_bar_fg: Rgba,
    pub status_bar_height: f32,
    pub header_style: HeaderStyle,
    pub header_bg: Rgba,
    pub header_fg: Rgba,
    pub header_sub: Rgba,
    pub header_height: f32,
    pub header_hairline: Option<Rgba>,
    pub input_bg: Rgba,
    pub input_field_bg: Rgba,
    pub input_field_border: Option<Rgba>,
    pub input_placeholder: &'static str,
    pub input_text: Rgba,
    pub input_icon: Rgba,
    pub input_height: f32,
    pub home_indicator: f32,
    pub system_pill_bg: Option<Rgba>,
    pub system_text: Rgba,
    pub date_pill_bg: Option<Rgba>,
    pub reaction_bg: Rgba,
    pub reaction_border: Rgba,
    pub typing_dot: Rgba,
    /// Name colors for group members without a color of their own.
    pub name_palette: [Rgba; 6],
}

pub const SCREEN_PT: f32 = 390.0;

impl ThemeSpec {
    pub fn for_theme(platform: Platform, appearance: Appearance) -> ThemeSpec {
        let dark = appearance == Appearance::Dark;
        match platform {
            Platform::Whatsapp => whatsapp(dark),
            // The other platforms get their own tables in later work; until then they use the
            // iMessage layout with their brand color so a project never fails to render.
            Platform::Imessage => imessage(dark),
            other => {
                let mut t = imessage(dark);
                t.platform = other;
                t.me_bubble = match other {
                    Platform::Messenger => Rgba::hex(0x0a7cff),
                    Platform::Instagram => Rgba::hex(0x7b3fe4),
                    Platform::Discord => Rgba::hex(0x5865f2),
                    Platform::Telegram => Rgba::hex(0x3390ec),
                    Platform::Sms => Rgba::hex(0x34c759),
                    Platform::Snapchat => Rgba::hex(0xf23c57),
                    _ => t.me_bubble,
                };
                t.me_bubble_bottom = None;
                t.accent = t.me_bubble;
                t
            }
        }
    }
}

fn imessage(dark: bool) -> ThemeSpec {
    let (bg, them, them_text, sub, bar) = if dark {
        (Rgba::hex(0x000000), Rgba::hex(0x262628), Rgba::hex(0xffffff), Rgba::hex(0x8d8d93), Rgba::hex(0x161618))
    } else {
        (Rgba::hex(0xffffff), Rgba::hex(0xe9e9eb), Rgba::hex(0x000000), Rgba::hex(0x8a8a8e), Rgba::hex(0xf6f6f6))
    };
    let fg = if dark { Rgba::hex(0xffffff) } else { Rgba::hex(0x000000) };
    ThemeSpec {
        platform: Platform::Imessage,
        dark,
        wallpaper: bg,
        wallpaper_pattern: None,
        me_bubble: Rgba::hex(0x1f8bff),
        me_bubble_bottom: Some(Rgba::hex(0x0a78fa)),
        me_text: Rgba::hex(0xffffff),
        them_bubble: them,
        them_text,
        secondary_text: sub,
        meta_me: Rgba::hex(0xffffff).alpha(190),
        meta_them: sub,
        read_tick: Rgba::hex(0x1f8bff),
        accent: Rgba::hex(0x0a84ff),
        font_size: 17.0,
        line_height: 22.0,
        bubble_pad_x: 12.5,
        bubble_pad_y: 7.0,
        radius: 18.0,
        max_bubble_ratio: 0.72,
        tail: TailAt::LastBottom,
        gap_same: 2.0,
        gap_other: 9.0,
        side_margin: 14.0,
        avatar_size: 28.0,
        inline_time: false,
        name_inside: false,
        name_size: 11.5,
        status_bar_bg: bar,
        status_bar_fg: fg,
        status_bar_height: 50.0,
        header_style: HeaderStyle::Centered,
        header_bg: bar,
        header_fg: fg,
        header_sub: sub,
        header_height: 76.0,
        header_hairline: Some(if dark { Rgba::hex(0x2c2c2e) } else { Rgba::hex(0xd8d8da) }),
        input_bg: bg,
        input_field_bg: bg,
        input_field_border: Some(if dark { Rgba::hex(0x3a3a3c) } else { Rgba::hex(0xc8c8cc) }),
        input_placeholder: "iMessage",
        input_text: fg,
        input_icon: if dark { Rgba::hex(0x8d8d93) } else { Rgba::hex(0x8a8a8e) },
        input_height: 54.0,
        home_indicator: 30.0,
        system_pill_bg: None,
        system_text: sub,
        date_pill_bg: None,
        reaction_bg: them,
        reaction_border: bg,
        typing_dot: if dark { Rgba::hex(0x9a9aa0) } else { Rgba::hex(0x8e8e93) },
        name_palette: [sub; 6],
    }
}

fn whatsapp(dark: bool) -> ThemeSpec {
    let green = Rgba::hex(0x008069);
    let (bg, me, them, text, sub) = if dark {
        (Rgba::hex(0x0b141a), Rgba::hex(0x005c4b), Rgba::hex(0x202c33), Rgba::hex(0xe9edef), Rgba::hex(0x8696a0))
    } else {
        (Rgba::hex(0xefeae2), Rgba::hex(0xd9fdd3), Rgba::hex(0xffffff), Rgba::hex(0x111b21), Rgba::hex(0x667781))
    };
    let (bar, bar_fg, bar_sub) = if dark {
        (Rgba::hex(0x202c33), Rgba::hex(0xe9edef), Rgba::hex(0x8696a0))
    } else {
        (green, Rgba::hex(0xffffff), Rgba::hex(0xffffff).alpha(215))
    };
    ThemeSpec {
        platform: Platform::Whatsapp,
        dark,
        wallpaper: bg,
        wallpaper_pattern: Some(if dark { Rgba::hex(0xffffff).alpha(10) } else { Rgba::hex(0x000000).alpha(9) }),
        me_bubble: me,
        me_bubble_bottom: None,
        me_text: text,
        them_bubble: them,
        them_text: text,
        secondary_text: sub,
        meta_me: if dark { Rgba::hex(0xffffff).alpha(150) } else { Rgba::hex(0x667781) },
        meta_them: sub,
        read_tick: Rgba::hex(0x53bdeb),
        accent: Rgba::hex(0x00a884),
        font_size: 16.0,
        line_height: 21.0,
        bubble_pad_x: 9.0,
        bubble_pad_y: 6.0,
        radius: 8.0,
        max_bubble_ratio: 0.78,
        tail: TailAt::FirstTop,
        gap_same: 2.5,
        gap_other: 9.0,
        side_margin: 16.0,
        avatar_size: 28.0,
        inline_time: true,
        name_inside: true,
        name_size: 13.5,
        status_bar_bg: bar,
        status_bar_fg: bar_fg,
        status_bar_height: 50.0,
        header_style: HeaderStyle::Row,
        header_bg: bar,
        header_fg: bar_fg,
        header_sub: bar_sub,
        header_height: 58.0,
        header_hairline: None,
        input_bg: if dark { Rgba::hex(0x0b141a) } else { Rgba::hex(0xefeae2) },
        input_field_bg: if dark { Rgba::hex(0x202c33) } else { Rgba::hex(0xffffff) },
        input_field_border: None,
        input_placeholder: "Message",
        input_text: text,
        input_icon: sub,
        input_height: 58.0,
        home_indicator: 26.0,
        system_pill_bg: Some(if dark { Rgba::hex(0x182229) } else { Rgba::hex(0xffeecd) }),
        system_text: if dark { Rgba::hex(0xffd279) } else { Rgba::hex(0x54656f) },
        date_pill_bg: Some(if dark { Rgba::hex(0x182229) } else { Rgba::hex(0xffffff) }),
        reaction_bg: if dark { Rgba::hex(0x202c33) } else { Rgba::hex(0xffffff) },
        reaction_border: bg,
        typing_dot: sub,
        name_palette: [
            Rgba::hex(0xe542a3),
            Rgba::hex(0x1f7aec),
            Rgba::hex(0xd88b00),
            Rgba::hex(0x02a698),
            Rgba::hex(0x9256e0),
            Rgba::hex(0xdc4f3f),
        ],
    }
}
