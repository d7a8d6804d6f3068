//! Message blocks measured on demand. A frame only ever needs the blocks on screen, so a
//! renderer for a 5,000-message chat must not shape all 5,000 texts before its first frame:
//! blocks are measured the first time a scene asks for them, and kept by content key so an
//! edit re-measures only what it changed.

use std::collections::HashMap;
use std::sync::Arc;

use crate::fonts::Fonts;
use crate::images::ImageCache;
use crate::layout::{self, Block, LayoutCtx};

#[derive(Default)]
pub struct Blocks {
    /// Block of each message of the current project version, once measured.
    by_index: Vec<Option<Arc<Block>>>,
    /// Blocks measured for the current version, by content key.
    current: HashMap<u64, Arc<Block>>,
    /// Blocks of the previous version: found again when an edit left them unchanged. Dropped at
    /// the next version, so memory follows what recent frames used, not every edit ever made.
    previous: HashMap<u64, Arc<Block>>,
}

impl Blocks {
    /// Starts a new project version with `len` messages. Nothing is measured yet.
    pub fn reset(&mut self, len: usize) {
        self.previous = std::mem::take(&mut self.current);
        self.by_index.clear();
        self.by_index.resize(len, None);
    }

    /// The block of message `i`, measuring it on first use.
    ///
    /// Measuring cannot fail here: the only fallible step is decoding a photo, and the
    /// renderer decodes every referenced image into `images` before it accepts a project.
    pub fn get(&mut self, ctx: &LayoutCtx<'_>, fonts: &mut Fonts, images: &mut ImageCache, i: usize) -> Arc<Block> {
        if let Some(b) = &self.by_index[i] {
            return b.clone();
        }
        let key = layout::block_key(ctx, i);
        let block = match self.current.get(&key).or_else(|| self.previous.get(&key)) {
            Some(b) => b.clone(),
            None => {
                Arc::new(layout::measure(ctx, fonts, images, i).expect("images are decoded when the project is set"))
            }
        };
        self.current.insert(key, block.clone());
        self.by_index[i] = Some(block.clone());
        block
    }

    /// Message `i`'s block if a scene has measured it.
    pub fn measured(&self, i: usize) -> Option<&Arc<Block>> {
        self.by_index.get(i).and_then(Option::as_ref)
    }
}
