//! The scene at time t: which blocks are visible where, how far each entrance animation has
//! run, the typing indicator, reactions and the chrome state. Computing it is cheap (it looks
//! only at the blocks near the newest message), and its hash identifies the frame's pixels.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

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

/// Vertical metrics of the message list that do not depend on its messages.
#[derive(Debug, Clone, Copy)]
pub struct ListMetrics {
    /// Height the typing bubble takes (incl. its gap).
    pub typing_h: f32,
    pub pad: f32,
}

pub struct SceneInput<'a> {
    pub timeline: &'a Timeline,
    pub list: ListMetrics,
    pub geo: &'a Geometry,
    pub theme: &'a ThemeSpec,
    pub messages: &'a [chatframe_model::Message],
}

/// Rounds halves up: `round_up(n + x) == n + round_up(x)` for whole `n`, which lets positions
/// be computed relative to the end of the conversation and agree with absolute ones.
fn round_up(x: f32) -> f32 {
    (x + 0.5).floor()
}

/// The scene at `t`. `block(j)` gives message `j`'s measured block; only the blocks on screen
/// (and the few still scrolling in) are asked for, walking up from the newest, so the cost
/// follows what is visible, not the length of the conversation.
pub fn scene_at(inp: &SceneInput<'_>, block: &mut dyn FnMut(usize) -> Arc<Block>, t: Micros) -> Scene {
    let tl = inp.timeline;
    let g = inp.geo;
    let list = inp.list;
    let appeared = tl.last_appeared(t).map_or(0, |i| i + 1);

    // Positions are relative to `end`, the bottom of the newest appeared block in content
    // space (block heights and gaps are whole pixels, so `end` is too).
    // Content height (relative): everything that has appeared, the newest still easing in.
    let mut content = 0.0f32;
    for j in (0..appeared).rev() {
        let e = &tl.entries[j];
        if t - e.appear >= anim::SCROLL {
            break;
        }
        let b = block(j);
        let full = b.height + b.gap_before;
        // A bubble that replaces a typing indicator grows (or shrinks) from the indicator's
        // height, so the chat never jumps when a short bubble replaces the taller indicator.
        let from = if matches!(e.typing, Some((_, TypingStyle::Indicator))) { list.typing_h } else { 0.0 };
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
    // The scroll offset (relative) if the content overflows the viewport.
    let scrolled = round_up(content - viewport);

    // Walk up from the newest block until one ends above the viewport. If the walk reaches
    // the first message, the whole content is known and may not overflow at all.
    let mut shown: Vec<(usize, f32, Arc<Block>)> = Vec::new();
    let mut above = 0.0f32;
    let mut reached_top = true;
    for j in (0..appeared).rev() {
        if -above < scrolled - 1.0 {
            reached_top = false;
            break;
        }
        let b = block(j);
        above += b.height;
        shown.push((j, -above, b.clone()));
        above += b.gap_before;
    }
    // `shift` = scroll offset - end: what turns a relative position into a screen one. When the
    // walk reached the top, `above` is `end`, and content that fits is not scrolled at all.
    let shift = if reached_top && above + content - viewport <= 0.0 { -above } else { scrolled };
    let origin = g.list_top + list.pad - shift;

    let mut blocks = Vec::new();
    let mut reactions = Vec::new();
    for (j, top, b) in shown.into_iter().rev() {
        if top > shift + viewport + list.pad * 2.0 {
            break;
        }
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
