//! A frame as a list of layers, and the rows that differ between two such lists.
//!
//! Consecutive frames of a chat video mostly differ in a band of rows (dots blinking, a bubble
//! popping in) or not at all outside the message list. Each layer carries a key covering
//! everything its pixels depend on, position included, so comparing the keys of two frames
//! tells which rows can have changed without looking at pixels. The renderer then restores the
//! base and redraws layers only inside those rows, and an encoder converts only those rows.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use tiny_skia::Pixmap;

use crate::paint::{composite, copy_rows};

/// How a layer is put on the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Put {
    /// Blended 1:1 at its position.
    Blend,
    /// An opaque full-width chrome layer: a row copy.
    Copy,
    /// Scaled by `scale` around `pivot` (in layer pixels) with `alpha` opacity, then blended.
    Transformed { scale: f32, pivot: (f32, f32), alpha: f32 },
}

/// One layer of a frame, in drawing order.
pub struct Layer {
    pub pm: Arc<Pixmap>,
    pub x: i32,
    pub y: i32,
    /// Rows `[top, bottom)` of the frame the layer may draw into.
    pub clip: (i32, i32),
    pub put: Put,
    /// Hash of the layer's content (`content`, given by the caller), placement and [`Put`].
    pub key: u64,
}

impl Layer {
    /// `content` must identify the pixmap's pixels (e.g. a block's hash): two layers with equal
    /// content, position, clip and transform draw the same pixels.
    pub fn new(content: impl Hash, pm: Arc<Pixmap>, x: i32, y: i32, clip: (i32, i32), put: Put) -> Layer {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        content.hash(&mut h);
        (x, y, clip, pm.width(), pm.height()).hash(&mut h);
        match put {
            Put::Blend => 0u8.hash(&mut h),
            Put::Copy => 1u8.hash(&mut h),
            Put::Transformed { scale, pivot, alpha } => {
                (2u8, scale.to_bits(), pivot.0.to_bits(), pivot.1.to_bits(), alpha.to_bits()).hash(&mut h)
            }
        }
        Layer { pm, x, y, clip, put, key: h.finish() }
    }

    /// The rows this layer can change, clipped to a frame `height` rows tall.
    pub fn rows(&self, height: i32) -> (i32, i32) {
        let top = self.y.max(self.clip.0).max(0);
        let bottom = (self.y + self.pm.height() as i32).min(self.clip.1).min(height);
        (top, bottom.max(top))
    }

    /// Draws the layer into `frame`, only inside the row ranges `only` (sorted, disjoint).
    pub fn draw(&self, frame: &mut Pixmap, scratch: &mut Pixmap, only: &[Range<u32>]) {
        let (top, bottom) = self.rows(frame.height() as i32);
        let mut spans =
            only.iter().map(|r| (top.max(r.start as i32), bottom.min(r.end as i32))).filter(|(a, b)| a < b).peekable();
        if spans.peek().is_none() {
            return;
        }
        let src: &Pixmap = match self.put {
            Put::Transformed { scale, pivot, alpha } => {
                transform_into(scratch, &self.pm, scale, pivot, alpha);
                scratch
            }
            Put::Blend | Put::Copy => &self.pm,
        };
        for span in spans {
            if self.put == Put::Copy {
                copy_rows(frame, src, self.y, span);
            } else {
                composite(frame, src, self.x, self.y, 255, span);
            }
        }
    }
}

/// Draws `src` scaled around `pivot` with opacity into `scratch` (resized to `src`'s size).
fn transform_into(scratch: &mut Pixmap, src: &Pixmap, scale: f32, pivot: (f32, f32), alpha: f32) {
    if scratch.width() != src.width() || scratch.height() != src.height() {
        *scratch = Pixmap::new(src.width(), src.height()).expect("scratch");
    } else {
        scratch.fill(tiny_skia::Color::TRANSPARENT);
    }
    let tr = tiny_skia::Transform::from_translate(pivot.0, pivot.1)
        .pre_scale(scale, scale)
        .pre_translate(-pivot.0, -pivot.1);
    let paint = tiny_skia::PixmapPaint {
        opacity: alpha.clamp(0.0, 1.0),
        quality: tiny_skia::FilterQuality::Bilinear,
        ..Default::default()
    };
    scratch.draw_pixmap(0, 0, src.as_ref(), &paint, tr, None);
}

/// What a drawn frame is remembered by: each layer's key and rows, in drawing order.
pub type Drawn = Vec<(u64, (i32, i32))>;

/// The rows where a frame of `layers` can differ from the frame `prev` describes (both drawn
/// over the same base): the rows of every layer present in one frame and not the other.
/// Sorted, disjoint, merged ranges.
///
/// Rows outside those are covered by the same layers in the same order in both frames (layers
/// are drawn in a fixed order by kind and message index), hence hold the same pixels.
pub fn changed_rows(prev: &Drawn, layers: &[Layer], height: i32) -> Vec<Range<u32>> {
    let mut unmatched: Vec<Option<&(u64, (i32, i32))>> = prev.iter().map(Some).collect();
    let mut spans: Vec<(i32, i32)> = Vec::new();
    for l in layers {
        let rows = l.rows(height);
        match unmatched.iter_mut().find(|p| p.is_some_and(|&(k, r)| k == l.key && r == rows)) {
            Some(slot) => *slot = None,
            None => spans.push(rows),
        }
    }
    spans.extend(unmatched.into_iter().flatten().map(|&(_, r)| r));
    merge(spans)
}

/// Sorts row spans and merges overlapping or touching ones; empty spans are dropped.
pub fn merge(mut spans: Vec<(i32, i32)>) -> Vec<Range<u32>> {
    spans.retain(|(a, b)| a < b);
    spans.sort_unstable();
    let mut out: Vec<Range<u32>> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        let (a, b) = (a.max(0) as u32, b.max(0) as u32);
        match out.last_mut() {
            Some(last) if a <= last.end => last.end = last.end.max(b),
            _ => out.push(a..b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(content: u32, y: i32, h: u32) -> Layer {
        Layer::new(content, Arc::new(Pixmap::new(4, h).unwrap()), 0, y, (0, 100), Put::Blend)
    }

    fn drawn(layers: &[Layer]) -> Drawn {
        layers.iter().map(|l| (l.key, l.rows(100))).collect()
    }

    #[test]
    fn only_layers_that_moved_changed_or_went_away_mark_rows() {
        let before = [layer(1, 10, 5), layer(2, 30, 10), layer(3, 90, 20)];
        // 1 stays, 2 moves down by 2, 3 is gone, 4 is new.
        let after = [layer(1, 10, 5), layer(2, 32, 10), layer(4, 60, 3)];
        assert_eq!(changed_rows(&drawn(&before), &after, 100), vec![30..42, 60..63, 90..100]);
        assert_eq!(changed_rows(&drawn(&before), &before, 100), Vec::<Range<u32>>::new());
        // A transform change is a change even at the same place.
        let t = |s: f32| {
            Layer::new(
                1u32,
                Arc::new(Pixmap::new(4, 5).unwrap()),
                0,
                10,
                (0, 100),
                Put::Transformed { scale: s, pivot: (0.0, 0.0), alpha: 1.0 },
            )
        };
        assert_eq!(changed_rows(&drawn(&[t(0.5)]), &[t(0.6)], 100), vec![10..15]);
    }

    #[test]
    fn spans_merge_when_they_touch() {
        assert_eq!(merge(vec![(5, 8), (0, 2), (2, 3), (7, 9), (20, 20)]), vec![0..3, 5..9]);
    }
}
