//! Measuring messages into blocks. A block is everything that scrolls with one message (name,
//! bubble, photo, avatar, receipt, room for reactions); its size is computed once per project
//! version and its pixels once per look, so per-frame work is only positioning.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use chatframe_model::{Avatar, Message, MessageKind, Participant, Project, Receipt, Side};
use image::RgbaImage;

use crate::RenderError;
use crate::fonts::{Fonts, TextLayout, TextStyle};
use crate::geometry::Geometry;
use crate::images::ImageCache;
use crate::paint::Rgba;
use crate::theme::{TailAt, ThemeSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockSide {
    Me,
    Them,
    Center,
}

pub struct Text {
    pub layout: TextLayout,
    pub x: f32,
    pub y: f32,
    pub color: Rgba,
}

pub struct Photo {
    pub image: Arc<RgbaImage>,
    pub x: f32,
    pub y: f32,
    pub w: u32,
    pub h: u32,
    pub radius: f32,
}

pub struct AvatarSpot {
    pub avatar: AvatarPaint,
    pub x: f32,
    pub y: f32,
    pub size: f32,
}

#[derive(Clone)]
pub enum AvatarPaint {
    Image(Arc<RgbaImage>),
    Initials { text: String, color: Rgba },
}

pub struct Block {
    /// Identifies the block's pixels (content, look, scale): the raster cache key.
    pub hash: u64,
    pub side: BlockSide,
    /// Space above the block (larger between senders than within a group).
    /// Whole pixels, like `height`, so positions summed from either end of the chat agree.
    pub gap_before: f32,
    /// Block height in pixels.
    pub height: f32,
    /// Horizontal extent relative to the screen's left edge.
    pub x0: f32,
    pub width: f32,
    /// Bubble body (x, y, w, h) in block space; `None` for system lines without a pill.
    pub bubble: Option<(f32, f32, f32, f32)>,
    pub bubble_color: Rgba,
    pub bubble_bottom: Option<Rgba>,
    pub radius: f32,
    /// Tail drawn always (WhatsApp: first of group) or only while last of its group (iMessage).
    pub tail: Option<TailAt>,
    pub texts: Vec<Text>,
    pub photo: Option<Photo>,
    pub avatar: Option<AvatarSpot>,
    /// WhatsApp ticks: (x, y, two ticks, color).
    pub ticks: Option<(f32, f32, bool, Rgba)>,
    /// Voice-note waveform area (x, y, w, h) and its color.
    pub voice: Option<(f32, f32, f32, f32, Rgba)>,
    /// Where reactions attach (block space) and whether they sit on the bubble's right.
    pub reaction_anchor: (f32, f32),
    pub reaction_right: bool,
}

/// Everything measuring needs besides the message itself.
pub struct LayoutCtx<'a> {
    pub project: &'a Project,
    pub theme: &'a ThemeSpec,
    pub geo: &'a Geometry,
    pub base_dir: &'a Path,
    /// More than one "them" participant: names and avatars are shown.
    pub group: bool,
}

/// More than one other participant: names and avatars are shown.
pub fn is_group(project: &Project) -> bool {
    project.participants.iter().filter(|p| p.side == Side::Them).count() > 1
}

impl<'a> LayoutCtx<'a> {
    pub fn new(project: &'a Project, theme: &'a ThemeSpec, geo: &'a Geometry, base_dir: &'a Path) -> Self {
        LayoutCtx { project, theme, geo, base_dir, group: is_group(project) }
    }
}

impl LayoutCtx<'_> {
    pub fn participant(&self, id: Option<&str>) -> Option<&Participant> {
        id.and_then(|id| self.project.participants.iter().find(|p| p.id == id))
    }

    pub fn name_color(&self, p: &Participant) -> Rgba {
        if let Some(c) = p.color {
            return c.into();
        }
        let idx = self.project.participants.iter().filter(|q| q.side == Side::Them).position(|q| q.id == p.id);
        self.theme.name_palette[idx.unwrap_or(0) % self.theme.name_palette.len()]
    }
}

pub fn same_group(a: &Message, b: &Message) -> bool {
    a.kind.has_sender() && b.kind.has_sender() && a.sender == b.sender
}

/// Measures message `i` of the project into a block.
pub fn measure(
    ctx: &LayoutCtx<'_>,
    fonts: &mut Fonts,
    images: &mut ImageCache,
    i: usize,
) -> Result<Block, RenderError> {
    let msgs = &ctx.project.messages;
    let m = &msgs[i];
    let t = ctx.theme;
    let g = ctx.geo;
    let s = g.s;
    let first = i == 0 || !same_group(&msgs[i - 1], m);
    let gap_before = if i == 0 {
        0.0
    } else if first {
        (t.gap_other * s).round()
    } else {
        (t.gap_same * s).round()
    };

    let key = block_key(ctx, i);

    if !m.kind.has_sender() {
        return Ok(measure_center(ctx, fonts, m, gap_before, key));
    }
    let sender = ctx.participant(m.sender.as_deref());
    let me = sender.is_some_and(|p| p.side == Side::Me);
    let side = if me { BlockSide::Me } else { BlockSide::Them };
    let show_avatar = ctx.group && !me;
    let avatar_w = if show_avatar { (t.avatar_size + 6.0) * s } else { 0.0 };
    let margin = t.side_margin * s;
    let max_bubble = g.screen_w * t.max_bubble_ratio - avatar_w;
    let pad_x = t.bubble_pad_x * s;
    let pad_y = t.bubble_pad_y * s;
    let body_style = TextStyle::new(t.font_size * s, t.line_height * s, 400);
    let small = TextStyle::new(t.name_size * s, t.name_size * 1.3 * s, 500);
    let meta_style = TextStyle::new(11.0 * s, 14.0 * s, 400);
    let (text_color, bubble_color) = if me { (t.me_text, t.me_bubble) } else { (t.them_text, t.them_bubble) };

    let mut texts = Vec::new();
    let mut y = 0.0;
    // Reactions overlap the bubble's top corner on iMessage, its bottom edge on WhatsApp.
    let has_reactions = !m.reactions.is_empty();
    if has_reactions && t.tail == TailAt::LastBottom {
        y += 16.0 * s;
    }
    // Sender name: above the bubble (iMessage) or inside it (WhatsApp), first of group only.
    let name = (ctx.group && !me && first).then(|| sender.map(|p| (p.name.clone(), ctx.name_color(p)))).flatten();
    let mut name_inside = None;
    if let Some((n, color)) = &name {
        if t.name_inside {
            let style = TextStyle::new(t.name_size * s, t.name_size * 1.35 * s, 600);
            name_inside = Some((fonts.layout(n, style, max_bubble - 2.0 * pad_x), *color));
        } else {
            let layout = fonts.layout(n, small, max_bubble);
            let lh = layout.height;
            texts.push(Text { layout, x: avatar_w + pad_x, y, color: t.secondary_text });
            y += lh + 1.0 * s;
        }
    }

    // Body: measure content to size the bubble.
    let inner_max = max_bubble - 2.0 * pad_x;
    let body = (!m.text.trim().is_empty()).then(|| fonts.layout(&m.text, body_style, inner_max));
    let mut source = None;
    if m.kind == MessageKind::Image
        && let Some(media) = &m.media
    {
        let img = images.load(ctx.base_dir, media, &format!("messages[{i}].media"))?;
        let (iw, ih) = (img.width().max(1) as f32, img.height().max(1) as f32);
        let max_w = (240.0 * s).min(max_bubble);
        let max_h = 320.0 * s;
        let scale = (max_w / iw).min(max_h / ih);
        let (pw, ph) = ((iw * scale).round().max(8.0), (ih * scale).round().max(8.0));
        source = Some((img, pw as u32, ph as u32));
    }
    let meta = t.inline_time.then(|| {
        let time = m.time.clone().unwrap_or_else(|| ctx.project.theme.status_bar.time.clone());
        fonts.layout(&time, meta_style, 200.0 * s)
    });
    let ticks_w = if t.inline_time && me { 17.0 * s } else { 0.0 };
    let meta_w = meta.as_ref().map_or(0.0, |l| l.width + ticks_w + 6.0 * s);

    let bubble_x;
    let bubble_y = y;
    let (bw, bh);
    let mut voice = None;
    let mut ticks = None;
    let inset = 3.0 * s;
    let mut photo = None;
    // The coloured bubble, when there is one: the whole message for text and framed photos, only
    // the caption under a bare photo.
    let bubble_rect;
    // Left edge of everything drawn: a caption bubble can be wider than the photo above it.
    let mut content_left = None;
    if let Some((img, pw, ph)) = source {
        if t.inline_time {
            // WhatsApp frames photos in a bubble, the caption and time inside it.
            let pad = inset;
            let name_h = name_inside.as_ref().map_or(0.0, |(l, _)| l.height + 2.0 * s);
            let caption_h = body.as_ref().map_or(0.0, |l| l.height + 2.0 * pad_y);
            bw = pw as f32 + 2.0 * pad;
            bh = ph as f32 + 2.0 * pad + name_h + caption_h;
            bubble_x = if me { g.screen_w - margin - bw } else { margin + avatar_w };
            if let Some((l, c)) = name_inside.take() {
                texts.push(Text { layout: l, x: bubble_x + pad_x, y: bubble_y + pad_y * 0.6, color: c });
            }
            let radius = (t.radius - 2.0) * s;
            photo = Some(Photo { image: img, x: bubble_x + pad, y: bubble_y + pad + name_h, w: pw, h: ph, radius });
            if let Some(l) = body {
                let ty = bubble_y + pad + name_h + ph as f32 + pad_y;
                texts.push(Text { layout: l, x: bubble_x + pad_x, y: ty, color: text_color });
            }
            if let Some(l) = meta {
                let (mx, my) = (bubble_x + bw - pad_x - meta_w + 4.0 * s, bubble_y + bh - pad_y - l.height + 2.0 * s);
                let meta_color =
                    if caption_h > 0.0 { if me { t.meta_me } else { t.meta_them } } else { Rgba::hex(0xffffff) };
                if me {
                    ticks = receipt_ticks(m.receipt, mx + l.width + 3.0 * s, my + 3.5 * s, meta_color, t);
                }
                texts.push(Text { layout: l, x: mx, y: my, color: meta_color });
            }
            bubble_rect = Some((bubble_x, bubble_y, bw, bh));
        } else {
            // iMessage shows the photo bare with rounded corners and the caption under it as an
            // ordinary text bubble of the sender's side (which carries the group's tail).
            bw = pw as f32;
            bubble_x = if me { g.screen_w - margin - bw } else { margin + avatar_w };
            photo = Some(Photo { image: img, x: bubble_x, y: bubble_y, w: pw, h: ph, radius: t.radius * s });
            bubble_rect = body.map(|l| {
                let (cw, ch) = ((l.width + 2.0 * pad_x).max(t.radius * 2.0 * s * 0.9), l.height + 2.0 * pad_y);
                let cx = if me { g.screen_w - margin - cw } else { margin + avatar_w };
                let cy = bubble_y + ph as f32 + (t.gap_same * s).round();
                let tx = if l.rtl { cx + cw - pad_x - l.width } else { cx + pad_x };
                texts.push(Text { layout: l, x: tx, y: cy + pad_y, color: text_color });
                content_left = Some(cx.min(bubble_x));
                (cx, cy, cw, ch)
            });
            bh = bubble_rect.map_or(ph as f32, |(_, cy, _, ch)| cy + ch - bubble_y);
        }
    } else if m.kind == MessageKind::VoiceNote {
        bw = (220.0 * s).min(max_bubble);
        bh = 44.0 * s;
        bubble_x = if me { g.screen_w - margin - bw } else { margin + avatar_w };
        voice = Some((bubble_x + pad_x, bubble_y, bw - 2.0 * pad_x, bh, text_color));
        bubble_rect = Some((bubble_x, bubble_y, bw, bh));
    } else {
        let body = body.unwrap_or_else(|| fonts.layout(" ", body_style, inner_max));
        let name_w = name_inside.as_ref().map_or(0.0, |(l, _)| l.width);
        let name_h = name_inside.as_ref().map_or(0.0, |(l, _)| l.height);
        // WhatsApp puts the time on the last line when it fits, otherwise on a line of its own.
        let (content_w, extra_h) = match &meta {
            Some(_) if body.last_line_width + meta_w <= inner_max && !body.rtl => {
                (body.width.max(body.last_line_width + meta_w), 0.0)
            }
            Some(l) => (body.width.max(meta_w), l.height * 0.9),
            None => (body.width, 0.0),
        };
        let content_w = content_w.max(name_w);
        bw = (content_w + 2.0 * pad_x).max(t.radius * 2.0 * s * 0.9);
        bh = body.height + 2.0 * pad_y + name_h + extra_h;
        bubble_x = if me { g.screen_w - margin - bw } else { margin + avatar_w };
        bubble_rect = Some((bubble_x, bubble_y, bw, bh));
        if let Some((l, c)) = name_inside.take() {
            texts.push(Text { layout: l, x: bubble_x + pad_x, y: bubble_y + pad_y, color: c });
        }
        // Right-to-left text hugs the bubble's right padding.
        let tx = if body.rtl { bubble_x + bw - pad_x - body.width } else { bubble_x + pad_x };
        texts.push(Text { layout: body, x: tx, y: bubble_y + pad_y + name_h, color: text_color });
        if let Some(l) = meta {
            let (mx, my) = (bubble_x + bw - pad_x - meta_w + 6.0 * s, bubble_y + bh - pad_y * 0.7 - l.height);
            let meta_color = if me { t.meta_me } else { t.meta_them };
            if me {
                ticks = receipt_ticks(m.receipt, mx + l.width + 3.0 * s, my + 3.5 * s, meta_color, t);
            }
            texts.push(Text { layout: l, x: mx, y: my, color: meta_color });
        }
    }
    y = bubble_y + bh;
    if has_reactions && t.tail == TailAt::FirstTop {
        y += 16.0 * s;
    }
    // iMessage shows the delivery state under the bubble.
    if let (Some(r), false, true) = (m.receipt, t.inline_time, me) {
        let word = match r {
            Receipt::Sent => "Sent".to_string(),
            Receipt::Delivered => "Delivered".to_string(),
            Receipt::Read => format!("Read {}", m.time.as_deref().unwrap_or(&ctx.project.theme.status_bar.time)),
        };
        let style = TextStyle::new(11.0 * s, 14.0 * s, 500);
        let l = fonts.layout(&word, style, g.screen_w);
        let (lw, lh) = (l.width, l.height);
        texts.push(Text { layout: l, x: g.screen_w - margin - lw - 2.0 * s, y: y + 2.0 * s, color: t.secondary_text });
        y += lh + 3.0 * s;
    }
    let avatar = show_avatar
        .then(|| {
            let size = t.avatar_size * s;
            let ay = match t.tail {
                TailAt::LastBottom => bubble_y + bh - size,
                TailAt::FirstTop => bubble_y,
            };
            sender.map(|p| AvatarSpot { avatar: avatar_paint(ctx, images, p), x: margin, y: ay, size })
        })
        .flatten();
    let tail = match t.tail {
        TailAt::FirstTop if first => Some(TailAt::FirstTop),
        TailAt::LastBottom if bubble_rect.is_some() => Some(TailAt::LastBottom),
        _ => None,
    };
    let reaction_anchor = match t.tail {
        TailAt::LastBottom => (if me { bubble_x } else { bubble_x + bw }, bubble_y),
        TailAt::FirstTop => (if me { bubble_x + bw - 12.0 * s } else { bubble_x + 12.0 * s }, bubble_y + bh),
    };
    // The block spans the bubble, its tail and avatar; texts stay within those bounds.
    let tail_room = 10.0 * s;
    let x0 = (if show_avatar { margin } else { content_left.unwrap_or(bubble_x) } - tail_room).max(0.0);
    let right = bubble_rect.map_or(bubble_x + bw, |(bx, _, w, _)| (bx + w).max(bubble_x + bw));
    let x1 = (right + tail_room).min(g.screen_w).max(g.screen_w - margin + tail_room.min(margin));
    let shift = |v: &mut f32| *v -= x0;
    for tx in &mut texts {
        shift(&mut tx.x);
    }
    if let Some(p) = &mut photo {
        shift(&mut p.x);
    }
    let mut avatar = avatar;
    if let Some(a) = &mut avatar {
        shift(&mut a.x);
    }
    if let Some(v) = &mut voice {
        shift(&mut v.0);
    }
    if let Some(tk) = &mut ticks {
        shift(&mut tk.0);
    }
    Ok(Block {
        hash: key,
        side,
        gap_before,
        height: y.ceil(),
        x0,
        width: (x1 - x0).ceil(),
        bubble: bubble_rect.map(|(bx, by, w, h)| (bx - x0, by, w, h)),
        bubble_color,
        bubble_bottom: if me { t.me_bubble_bottom } else { None },
        radius: t.radius * s,
        tail,
        texts,
        photo,
        avatar,
        ticks,
        voice,
        reaction_anchor: (reaction_anchor.0 - x0, reaction_anchor.1),
        reaction_right: !me,
    })
}

fn receipt_ticks(r: Option<Receipt>, x: f32, y: f32, color: Rgba, t: &ThemeSpec) -> Option<(f32, f32, bool, Rgba)> {
    match r {
        Some(Receipt::Sent) => Some((x, y, false, color)),
        Some(Receipt::Delivered) => Some((x, y, true, color)),
        Some(Receipt::Read) => Some((x, y, true, t.read_tick)),
        None => None,
    }
}

/// Date separators and system lines: centered, on a pill where the platform uses one.
fn measure_center(ctx: &LayoutCtx<'_>, fonts: &mut Fonts, m: &Message, gap_before: f32, hash: u64) -> Block {
    let t = ctx.theme;
    let g = ctx.geo;
    let s = g.s;
    let is_date = m.kind == MessageKind::Date;
    let pill = if is_date { t.date_pill_bg } else { t.system_pill_bg };
    let weight = if is_date { 600 } else { 500 };
    let style = TextStyle::new(12.0 * s, 16.0 * s, weight);
    let layout = fonts.layout(&m.text, style, g.screen_w * 0.78);
    let (pad_x, pad_y) = if pill.is_some() { (10.0 * s, 5.0 * s) } else { (0.0, 2.0 * s) };
    let (w, h) = (layout.width + 2.0 * pad_x, layout.height + 2.0 * pad_y);
    let x = ((g.screen_w - w) / 2.0).round();
    let top = 6.0 * s;
    let text = Text { layout, x: x + pad_x, y: top + pad_y, color: t.system_text };
    Block {
        hash,
        side: BlockSide::Center,
        gap_before: gap_before.max((6.0 * s).round()),
        height: (h + top * 2.0).ceil(),
        x0: 0.0,
        width: g.screen_w,
        bubble: pill.map(|_| (x, top, w, h)),
        bubble_color: pill.unwrap_or(Rgba::new(0, 0, 0, 0)),
        bubble_bottom: None,
        radius: 8.0 * s,
        tail: None,
        texts: vec![text],
        photo: None,
        avatar: None,
        ticks: None,
        voice: None,
        reaction_anchor: (0.0, 0.0),
        reaction_right: false,
    }
}

pub fn avatar_paint(ctx: &LayoutCtx<'_>, images: &mut ImageCache, p: &Participant) -> AvatarPaint {
    let idx = ctx.project.participants.iter().position(|q| q.id == p.id).unwrap_or(0);
    avatar_from(ctx.base_dir, images, p.avatar.as_ref(), &p.name, idx, &format!("participants[{idx}].avatar.image"))
}

/// Resolves an avatar; images were checked when the renderer was created, so a decode failure
/// here falls back to initials rather than failing a frame.
pub fn avatar_from(
    base: &Path,
    images: &mut ImageCache,
    avatar: Option<&Avatar>,
    name: &str,
    idx: usize,
    field: &str,
) -> AvatarPaint {
    const PALETTE: [u32; 6] = [0xff9f0a, 0x30b0c7, 0xaf52de, 0x34c759, 0xff375f, 0x5e5ce6];
    let initials_of = |n: &str| n.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect::<String>();
    match avatar {
        Some(Avatar::Image { image }) => match images.load(base, image, field) {
            Ok(img) => AvatarPaint::Image(img),
            Err(_) => AvatarPaint::Initials { text: initials_of(name), color: Rgba::hex(PALETTE[idx % 6]) },
        },
        Some(Avatar::Initials { initials, color }) => {
            AvatarPaint::Initials { text: initials.clone(), color: (*color).into() }
        }
        None => AvatarPaint::Initials { text: initials_of(name).to_uppercase(), color: Rgba::hex(PALETTE[idx % 6]) },
    }
}

/// Everything a block's measurement and pixels depend on. Equal keys mean an identical block, so
/// after an edit only changed messages are measured and rasterized again.
pub fn block_key(ctx: &LayoutCtx<'_>, i: usize) -> u64 {
    let msgs = &ctx.project.messages;
    let m = &msgs[i];
    let first = i == 0 || !same_group(&msgs[i - 1], m);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (m.kind, &m.sender, &m.text, &m.media, &m.time, m.receipt, m.reactions.is_empty()).hash(&mut h);
    (ctx.theme.platform, ctx.theme.dark, ctx.geo.s.to_bits(), ctx.geo.screen_w.to_bits()).hash(&mut h);
    (first, i == 0, ctx.group, &ctx.project.theme.status_bar.time).hash(&mut h);
    if let Some(p) = ctx.participant(m.sender.as_deref()) {
        (&p.name, &p.avatar, p.color, p.side).hash(&mut h);
        ctx.name_color(p).hash(&mut h);
    }
    h.finish()
}
