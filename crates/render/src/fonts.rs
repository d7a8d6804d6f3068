//! Bundled fonts and text drawing. Rendering never looks at system fonts: the same project gives
//! the same pixels on every machine. Fonts are compiled into the binary so no install step or
//! working directory can break them.

use std::sync::Arc;

use cosmic_text::{
    Attrs, Buffer, Fallback, Family, FontSystem, Metrics, Shaping, SwashCache, SwashContent, Weight, Wrap, fontdb,
};
use tiny_skia::Pixmap;
use unicode_script::Script;
use unicode_segmentation::UnicodeSegmentation;

use crate::paint::{Rgba, blend_pixel};

static FONT_FILES: [&[u8]; 9] = [
    include_bytes!("../../../assets/fonts/Inter-Regular.otf"),
    include_bytes!("../../../assets/fonts/Inter-Medium.otf"),
    include_bytes!("../../../assets/fonts/Inter-SemiBold.otf"),
    include_bytes!("../../../assets/fonts/Inter-Bold.otf"),
    include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../../assets/fonts/DroidSansFallbackFull.ttf"),
    include_bytes!("../../../assets/fonts/NanumBarunGothic.ttf"),
    include_bytes!("../../../assets/fonts/NotoColorEmoji.ttf"),
];

const UI_FAMILY: &str = "Inter";
const EMOJI_FAMILY: &str = "Noto Color Emoji";
const CJK_FAMILY: &str = "Droid Sans Fallback";
/// Droid Sans Fallback lacks most Hangul syllables.
const KOREAN_FAMILY: &str = "NanumBarunGothic";

/// Our fallback chain: scripts Inter lacks go to the bundled font for that script; everything
/// else (emoji, symbols) tries the emoji font before the CJK font, which also carries
/// monochrome symbols we do not want for emoji.
struct BundledFallback;

impl Fallback for BundledFallback {
    fn common_fallback(&self) -> &[&'static str] {
        &[EMOJI_FAMILY, CJK_FAMILY]
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        &[]
    }

    fn script_fallback(&self, script: Script, _locale: &str) -> &[&'static str] {
        match script {
            Script::Arabic => &["Noto Sans Arabic"],
            Script::Hebrew => &["Noto Sans Hebrew"],
            Script::Hangul => &[KOREAN_FAMILY, CJK_FAMILY],
            Script::Han | Script::Hiragana | Script::Katakana | Script::Bopomofo => &[CJK_FAMILY],
            _ => &[],
        }
    }
}

/// Splits text into runs of emoji and non-emoji grapheme clusters. Emoji runs are set in the
/// color emoji font explicitly: font fallback alone would pick a monochrome symbol glyph for
/// characters like ☀️ or ❤️ that other fonts also carry.
fn emoji_spans(text: &str) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (i, g) in text.grapheme_indices(true) {
        let e = is_emoji_cluster(g);
        if current.is_some_and(|c| c != e) {
            out.push((&text[start..i], current.unwrap_or(false)));
            start = i;
        }
        current = Some(e);
    }
    if start < text.len() {
        out.push((&text[start..], current.unwrap_or(false)));
    }
    out
}

/// Whether a grapheme cluster is shown as an emoji in chat apps.
pub fn is_emoji_cluster(g: &str) -> bool {
    if g.contains('\u{FE0E}') {
        return false; // explicit text presentation
    }
    if g.contains('\u{FE0F}') || g.contains('\u{20E3}') || g.contains('\u{200D}') && g.chars().count() > 1 {
        return true;
    }
    let Some(c) = g.chars().next() else { return false };
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B05..=0x2B55 | 0x231A..=0x231B | 0x23E9..=0x23FA
        | 0x2934..=0x2935 | 0x3030 | 0x303D | 0x3297 | 0x3299)
}

/// How a piece of text looks. Sizes are in output pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub line_height: f32,
    pub weight: u16,
}

impl TextStyle {
    pub fn new(size: f32, line_height: f32, weight: u16) -> Self {
        TextStyle { size, line_height, weight }
    }
}

/// Shaped, wrapped text ready to draw; `width`/`height` are its ink box in pixels.
pub struct TextLayout {
    buffer: Buffer,
    pub width: f32,
    pub height: f32,
    /// Width of the last line (WhatsApp fits the timestamp beside it when there is room).
    pub last_line_width: f32,
    /// True when the first paragraph is right-to-left (bubbles align such text to the right).
    pub rtl: bool,
}

pub struct Fonts {
    system: FontSystem,
    swash: SwashCache,
}

impl Default for Fonts {
    fn default() -> Self {
        Self::new()
    }
}

impl Fonts {
    pub fn new() -> Self {
        let mut db = fontdb::Database::new();
        for bytes in FONT_FILES {
            db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
        }
        db.set_sans_serif_family(UI_FAMILY);
        // A fixed locale keeps shaping identical whatever the machine's LANG is.
        let system = FontSystem::new_with_locale_and_db_and_fallback("en-US".into(), db, BundledFallback);
        Fonts { system, swash: SwashCache::new() }
    }

    /// Shapes and wraps `text` to at most `max_width` pixels. Long words break inside the word
    /// when they cannot fit on a line of their own.
    pub fn layout(&mut self, text: &str, style: TextStyle, max_width: f32) -> TextLayout {
        let metrics = Metrics::new(style.size, style.line_height);
        let mut buffer = Buffer::new(&mut self.system, metrics);
        buffer.set_wrap(Wrap::WordOrGlyph);
        buffer.set_size(Some(max_width.max(1.0)), None);
        let attrs = Attrs::new().family(Family::Name(UI_FAMILY)).weight(Weight(style.weight));
        let emoji = attrs.clone().family(Family::Name(EMOJI_FAMILY));
        let spans = emoji_spans(text)
            .into_iter()
            .map(|(span, is_emoji)| (span, if is_emoji { emoji.clone() } else { attrs.clone() }));
        buffer.set_rich_text(spans, &attrs, Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.system, false);
        let (mut width, mut lines, mut rtl, mut last) = (0.0f32, 0usize, None, 0.0f32);
        for run in buffer.layout_runs() {
            width = width.max(run.line_w);
            last = run.line_w;
            lines += 1;
            rtl.get_or_insert(run.rtl);
        }
        let rtl = rtl.unwrap_or(false);
        if rtl {
            // Right-to-left lines are aligned to the buffer's right edge; shrink the buffer to the
            // text so the text sits at the right edge of its own box, not of `max_width`.
            buffer.set_size(Some(width.ceil()), None);
            buffer.shape_until_scroll(&mut self.system, false);
        }
        TextLayout {
            buffer,
            width: width.ceil(),
            height: lines.max(1) as f32 * style.line_height,
            last_line_width: last,
            rtl,
        }
    }

    /// Draws `layout` with its top-left at (`x`, `y`) in `color`. Color emoji keep their own
    /// colors.
    pub fn draw(&mut self, layout: &TextLayout, pixmap: &mut Pixmap, x: f32, y: f32, color: Rgba) {
        let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
        let data = pixmap.data_mut();
        for run in layout.buffer.layout_runs() {
            for glyph in run.glyphs {
                let phys = glyph.physical((x, y + run.line_y), 1.0);
                let Some(image) = self.swash.get_image(&mut self.system, phys.cache_key) else { continue };
                let p = image.placement;
                let (ox, oy) = (phys.x + p.left, phys.y - p.top);
                for gy in 0..p.height as i32 {
                    let py = oy + gy;
                    if py < 0 || py >= h {
                        continue;
                    }
                    for gx in 0..p.width as i32 {
                        let px = ox + gx;
                        if px < 0 || px >= w {
                            continue;
                        }
                        let i = (gy * p.width as i32 + gx) as usize;
                        let src = match image.content {
                            SwashContent::Mask => color.with_coverage(image.data[i]),
                            SwashContent::Color => {
                                let c = &image.data[i * 4..i * 4 + 4];
                                Rgba::new(c[0], c[1], c[2], c[3]).premultiplied()
                            }
                            SwashContent::SubpixelMask => {
                                let c = &image.data[i * 4..i * 4 + 4];
                                color.with_coverage(((c[0] as u16 + c[1] as u16 + c[2] as u16) / 3) as u8)
                            }
                        };
                        let o = ((py * w + px) * 4) as usize;
                        blend_pixel(&mut data[o..o + 4], src);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_runs_are_split_from_text() {
        assert_eq!(emoji_spans("hi ☀️ there"), vec![("hi ", false), ("☀️", true), (" there", false)]);
        assert_eq!(emoji_spans("👨‍👩‍👧‍👦👍🏽"), vec![("👨‍👩‍👧‍👦👍🏽", true)]);
        assert_eq!(emoji_spans("plain"), vec![("plain", false)]);
        assert!(!is_emoji_cluster("→") && !is_emoji_cluster("a") && is_emoji_cluster("1️⃣") && is_emoji_cluster("🇯🇵"));
    }
}
