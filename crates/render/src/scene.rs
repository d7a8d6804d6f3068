//! The scene at time t: which blocks are visible where, how far each entrance animation has
//! run, the typing indicator, reactions and the chrome state. Computing it is cheap (binary
//! searches over prefix sums), and its hash identifies the frame's pixels.

use std::hash::{Hash, Hasher};

use chatframe_model::{Micros, Timeline, TypingStyle};

use crate::anim::{self, q};
use crate::geometry::Geometry;
use crate::layout::{Block, same_group};
use crate::theme::{TailAt, ThemeSpec};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlockItem {
    pub index: usize,
    pub last_of_group: bool,
    pub x: i32,
    pub y: i32,
    /// Entrance progress (quantized 0..=1024); 1024 = settled.
    pub enter: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypingItem {
    /// Message whose sender is typing.
    pub index: usize,
    pub x: i32,
    pub y: i32,
    /// Grow-in progress and dots phase (quantized).
    pub grow: u16,
    pub phase: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReactionItem {
    pub index: usize,
    /// How many of the message's reactions are showing.
    pub count: usize,
    pub x: i32,
    pub y: i32,
    /// Pop progress of the newest one (quantized).
    pub pop: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Scene {
    pub blocks: Vec<BlockItem>,
    pub typing: Option<TypingItem>,
    pub reactions: Vec<ReactionItem>,
    /// Header shows "typing…" (WhatsApp).
    pub header_typing: bool,
    /// Characters typed into the input bar, and whether the caret is lit.
    pub input_chars: usize,
    pub input_index: Option<usize>,
    pub caret: bool,
}

impl Scene {
    pub fn key(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }
}

/// Vertical layout of the whole conversation in content space.
pub struct ListLayout {
    /// Top of each block (after its gap) in content pixels.
    pub tops: Vec<f32>,
    /// Content height with all blocks shown.
    pub bottoms: Vec<f32>,
    /// Height the typing bubble takes (incl. its gap).
    pub typing_h: f32,
    pub pad: f32,
}

impl ListLayout {
    pub fn new(blocks: &[std::sync::Arc<Block>], typing_h: f32, pad: f32) -> ListLayout {
        let mut tops = Vec::with_capacity(blocks.len());
        let mut bottoms = Vec::with_capacity(blocks.len());
        let mut y = 0.0f32;
        for b in blocks {
            y += b.gap_before;
            tops.push(y);
            y += b.height;
            bottoms.push(y);
        }
        ListLayout { tops, bottoms, typing_h, pad }
    }
}

pub struct SceneInput<'a> {
    pub timeline: &'a Timeline,
    pub blocks: &'a [std::sync::Arc<Block>],
    pub list: &'a ListLayout,
    pub geo: &'a Geometry,
    pub theme: &'a ThemeSpec,
    pub messages: &'a [chatframe_model::Message],
}

pub fn scene_at(inp: &SceneInput<'_>, t: Micros) -> Scene {
    let tl = inp.timeline;
    let g = inp.geo;
    let list = inp.list;
    let appeared = tl.last_appeared(t).map_or(0, |i| i + 1);

    // Content height: everything that has appeared, with the newest entries still easing in.
    let mut content = if appeared > 0 { list.bottoms[appeared - 1] } else { 0.0 };
    for j in (0..appeared).rev() {
        let e = &tl.entries[j];
        if t - e.appear >= anim::SCROLL {
            break;
        }
        let full = inp.blocks[j].height + inp.blocks[j].gap_before;
        // A bubble that replaces a typing indicator grows from the indicator's height.
        let from = if matches!(e.typing, Some((_, TypingStyle::Indicator))) { list.typing_h.min(full) } else { 0.0 };
        let p = anim::ease_out_cubic(anim::progress(t, e.appear, anim::SCROLL));
        content -= (full - from) * (1.0 - p);
    }
    // The typing indicator of the next message, if its sender is typing now.
    let typing = tl.entries.get(appeared).and_then(|e| match e.typing {
        Some((start, TypingStyle::Indicator)) if t >= start && t < e.appear => Some((e.index, start)),
        _ => None,
    });
    let typing_top = content;
    if let Some((_, start)) = typing {
        let p = anim::ease_out_cubic(anim::progress(t, start, anim::TYPING_IN));
        content += list.typing_h * p;
    }
    let viewport = g.list_height() - 2.0 * list.pad;
    let scroll = (content - viewport).max(0.0).round();
    let origin = g.list_top + list.pad - scroll;

    // Visible range by binary search: cost does not grow with conversation length.
    let first = list.bottoms[..appeared].partition_point(|&b| b < scroll - 1.0);
    let mut blocks = Vec::new();
    let mut reactions = Vec::new();
    for j in first..appeared {
        let top = list.tops[j];
        if top > scroll + viewport + list.pad * 2.0 {
            break;
        }
        let b = &inp.blocks[j];
        let e = &tl.entries[j];
        let next_same_shown = j + 1 < appeared && same_group(&inp.messages[j], &inp.messages[j + 1]);
        let y = (origin + top).round() as i32;
        let x = (g.screen_x + b.x0).round() as i32;
        let enter = q(anim::progress(t, e.appear, anim::APPEAR));
        blocks.push(BlockItem { index: j, last_of_group: !next_same_shown, x, y, enter });
        let shown = e.reactions.iter().filter(|&&at| at <= t).count();
        if shown > 0 {
            let newest = e.reactions.iter().filter(|&&at| at <= t).max().copied().unwrap_or(t);
            let (ax, ay) = b.reaction_anchor;
            reactions.push(ReactionItem {
                index: j,
                count: shown,
                x: x + ax.round() as i32,
                y: y + ay.round() as i32,
                pop: q(anim::progress(t, newest, anim::REACTION)),
            });
        }
    }
    let typing_item = typing.map(|(index, start)| {
        let gap = if appeared > 0 { inp.theme.gap_other * g.s } else { 0.0 };
        TypingItem {
            index,
            x: (g.screen_x + inp.theme.side_margin * g.s).round() as i32,
            y: (origin + typing_top + gap).round() as i32,
            grow: q(anim::progress(t, start, anim::TYPING_IN)),
            phase: ((((t - start) % anim::DOTS_PERIOD) * 32 / anim::DOTS_PERIOD) as u16),
        }
    });
    let header_typing = typing.is_some() && inp.theme.tail == TailAt::FirstTop;

    // The phone owner typing into the input bar.
    let mut input_chars = 0;
    let mut input_index = None;
    if let Some(e) = tl.entries.get(appeared)
        && let Some((start, TypingStyle::InputBar)) = e.typing
        && t >= start
    {
        let total = inp.messages[e.index].text.chars().count();
        let p = anim::progress(t, start, (e.appear - start).max(1));
        input_chars = ((total as f32) * p).ceil() as usize;
        input_index = Some(e.index);
    }
    let caret = input_index.is_some();
    Scene { blocks, typing: typing_item, reactions, header_typing, input_chars, input_index, caret }
}
