//! Scene at time t -> pixels. One engine draws the studio preview, local exports, cloud renders
//! and the Preview Monitor, so a preview frame is the exported frame.
//!
//! Per frame the renderer only positions cached layers: the base (background + wallpaper), the
//! visible message blocks (each rasterized once), the typing bubble, reactions, and the chrome.
//! Cost therefore depends on what is on screen, not on how long the conversation is.

mod anim;
mod background;
mod block;
mod blocks;
mod chrome;
mod error;
mod fonts;
mod geometry;
mod images;
mod layers;
mod layout;
mod paint;
mod scene;
mod shapes;
mod stage;
mod theme;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chatframe_model::{Background, Micros, Project, Side, Timeline};
pub use error::RenderError;
pub use scene::Scene;
pub use tiny_skia::Pixmap;

use crate::blocks::Blocks;
use crate::chrome::HeaderInfo;
use crate::fonts::{Fonts, TextStyle};
use crate::geometry::Geometry;
use crate::images::ImageCache;
use crate::layers::{Drawn, Layer, Put};
use crate::layout::{Block, LayoutCtx};
use crate::paint::Rgba;
use crate::scene::{ListMetrics, SceneInput};
use crate::theme::{TailAt, ThemeSpec};

/// How long a message's entrance lasts after it appears: its pop or slide, and the scroll that
/// brings it into view. From then on it is drawn at rest (where the studio seeks to show one).
pub const ENTRANCE: Micros = if anim::APPEAR > anim::SCROLL { anim::APPEAR } else { anim::SCROLL };

/// Rasterized blocks kept at most (about 60 MB at 1080p); visible ones are re-created on demand.
const BLOCK_CACHE_LIMIT: usize = 256;

/// Draws frames of one project. Holds the caches (fonts, bubble layouts, images) that make
/// per-frame cost independent of conversation length; create one per project and reuse it.
pub struct Renderer {
    project: Project,
    timeline: Timeline,
    base_dir: PathBuf,
    theme: ThemeSpec,
    geo: Geometry,
    fonts: Fonts,
    images: ImageCache,
    /// Message blocks, measured when a frame first shows them and reused across edits.
    blocks: Blocks,
    list: ListMetrics,
    base: Pixmap,
    base_key: Option<u64>,
    /// What the blurred stage in `base` was made from (see [`Renderer::refresh_stage`]).
    stage_key: Option<u64>,
    corners: Vec<(i32, i32, Arc<Pixmap>)>,
    header: HeaderInfo,
    top: Arc<Pixmap>,
    top_typing: Option<Arc<Pixmap>>,
    input_empty: Arc<Pixmap>,
    input_cache: HashMap<(usize, usize), Arc<Pixmap>>,
    raster: HashMap<(u64, bool), Arc<Pixmap>>,
    raster_order: Vec<(u64, bool)>,
    reaction_cache: HashMap<(usize, usize), Arc<Pixmap>>,
    frame: Pixmap,
    scratch: Pixmap,
    /// The layers of the frame now in `frame`; `None` when it must be drawn whole.
    drawn: Option<Drawn>,
    /// Rows the last render changed (see [`Renderer::damage`]).
    damage: Vec<Range<u32>>,
}

impl Renderer {
    /// Prepares a renderer: builds the timeline and decodes images. Messages are laid out
    /// when a frame first shows them, so opening a long chat costs no more than a short one.
    /// `base_dir` resolves relative media paths.
    pub fn new(project: Project, base_dir: &Path) -> Result<Self, RenderError> {
        let timeline = Timeline::build(&project);
        Self::with_timeline(project, timeline, base_dir)
    }

    /// Like [`Renderer::new`] with a timeline built elsewhere (e.g. with voice-note lengths).
    pub fn with_timeline(project: Project, timeline: Timeline, base_dir: &Path) -> Result<Self, RenderError> {
        let theme = ThemeSpec::for_theme(project.theme.platform, project.theme.appearance);
        let geo = Geometry::new(2, 2, &theme, false);
        let one = || Pixmap::new(1, 1).expect("1x1");
        let mut r = Renderer {
            project: project.clone(),
            timeline: timeline.clone(),
            base_dir: base_dir.to_path_buf(),
            theme,
            geo,
            fonts: Fonts::new(),
            images: ImageCache::default(),
            blocks: Blocks::default(),
            list: ListMetrics { typing_h: 0.0, pad: 0.0 },
            base: one(),
            base_key: None,
            stage_key: None,
            corners: Vec::new(),
            header: chrome::header_info(&project, Vec::new()),
            top: Arc::new(one()),
            top_typing: None,
            input_empty: Arc::new(one()),
            input_cache: HashMap::new(),
            raster: HashMap::new(),
            raster_order: Vec::new(),
            reaction_cache: HashMap::new(),
            frame: one(),
            scratch: one(),
            drawn: None,
            damage: Vec::new(),
        };
        r.update_with_timeline(project, timeline)?;
        Ok(r)
    }

    /// Switches to an edited version of the project, keeping the caches: only messages whose
    /// content, neighbours or look changed are measured and rasterized again (when a frame
    /// shows them), so an edit costs about one new bubble. On error the renderer is left
    /// exactly as it was.
    pub fn update(&mut self, project: Project) -> Result<(), RenderError> {
        let timeline = Timeline::build(&project);
        self.update_with_timeline(project, timeline)
    }

    /// [`Renderer::update`] with a timeline built elsewhere.
    pub fn update_with_timeline(&mut self, project: Project, timeline: Timeline) -> Result<(), RenderError> {
        let (w, h) = (project.canvas.width, project.canvas.height);
        if Pixmap::new(w, h).is_none() || w < 16 || h < 16 {
            return Err(RenderError::CanvasSize { width: w, height: h });
        }
        let theme = ThemeSpec::for_theme(project.theme.platform, project.theme.appearance);
        let geo = Geometry::new(w, h, &theme, project.theme.status_bar.shown);
        let base_dir = self.base_dir.clone();
        // Every referenced image is decoded up front so a bad file fails here, with its field,
        // rather than halfway through an export.
        check_images(&project, &base_dir, &mut self.images)?;
        let ctx = LayoutCtx::new(&project, &theme, &geo, &base_dir);
        let base_key = {
            let mut hsh = std::collections::hash_map::DefaultHasher::new();
            (format!("{:?}", project.canvas.background), theme.platform, theme.dark, w, h, geo.list_top.to_bits())
                .hash(&mut hsh);
            hsh.finish()
        };
        let new_base = if self.base_key == Some(base_key) {
            None
        } else {
            Some(background::base_layer(&project.canvas.background, &theme, &geo, &mut self.images, &base_dir, None)?)
        };
        // Nothing below can fail: commit the new state.
        let avatars = match project.theme.header.avatar.as_ref() {
            Some(a) => {
                vec![layout::avatar_from(&base_dir, &mut self.images, Some(a), "", 0, "theme.header.avatar.image")]
            }
            None => project
                .participants
                .iter()
                .filter(|p| p.side == Side::Them)
                .map(|p| layout::avatar_paint(&ctx, &mut self.images, p))
                .collect(),
        };
        self.header = chrome::header_info(&project, avatars);
        self.top = Arc::new(chrome::draw_top(&mut self.fonts, &theme, &geo, &project, &self.header, None));
        self.input_empty = Arc::new(chrome::draw_input(&mut self.fonts, &theme, &geo, "", false));
        if let Some(base) = new_base {
            self.corners =
                background::corner_masks(&base, &geo).into_iter().map(|(x, y, pm)| (x, y, Arc::new(pm))).collect();
            self.base = base;
            self.base_key = Some(base_key);
            self.stage_key = None;
        }
        self.blocks.reset(project.messages.len());
        self.list = ListMetrics { typing_h: ((38.0 + theme.gap_other) * geo.s).round(), pad: (8.0 * geo.s).round() };
        if self.frame.width() != w || self.frame.height() != h {
            self.frame = Pixmap::new(w, h).expect("checked above");
        }
        // Base, theme or layers may have changed: the next frame is drawn whole.
        self.drawn = None;
        self.top_typing = None;
        self.input_cache.clear();
        self.reaction_cache.clear();
        self.theme = theme;
        self.geo = geo;
        self.project = project;
        self.timeline = timeline;
        self.refresh_stage();
        Ok(())
    }

    /// Puts the blurred stage into the base when the project asks for one: made from the chat's
    /// last frame, so it is redrawn only when an edit changes that frame, never per frame.
    ///
    /// The stage samples only the middle of the screen (a portrait screen scaled to cover a
    /// wider canvas shows at most its middle three quarters), never the rounded corners where
    /// the previous stage shows through, so it depends on the project alone: an edited renderer
    /// draws what a new one does.
    fn refresh_stage(&mut self) {
        if !(self.geo.framed && matches!(self.project.canvas.background, Background::Blur)) {
            return;
        }
        let t = (self.timeline.duration - 1).max(0);
        let scene = self.scene(t);
        let key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (self.base_key, scene.key()).hash(&mut h);
            // Chrome and reactions are not in the blocks' hashes.
            format!("{:?}", (&self.project.theme, &self.project.participants)).hash(&mut h);
            for item in &scene.blocks {
                self.block(item.index).hash.hash(&mut h);
                format!("{:?}", self.project.messages[item.index].reactions).hash(&mut h);
            }
            h.finish()
        };
        if self.stage_key == Some(key) {
            return;
        }
        self.render_scene(&scene);
        let stage = stage::blurred_stage(&self.frame, &self.geo);
        let bg = &self.project.canvas.background;
        // A blur background loads no image, so this cannot fail; if it did, the plain base stays.
        if let Ok(base) =
            background::base_layer(bg, &self.theme, &self.geo, &mut self.images, &self.base_dir, Some(&stage))
        {
            self.corners =
                background::corner_masks(&base, &self.geo).into_iter().map(|(x, y, pm)| (x, y, Arc::new(pm))).collect();
            self.base = base;
            self.stage_key = Some(key);
        }
        self.drawn = None;
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// Output size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.frame.width(), self.frame.height())
    }

    /// What is on screen at `t` (positions, animation states). Measures the blocks it shows
    /// that no frame has shown before.
    pub fn scene(&mut self, t: Micros) -> Scene {
        let ctx = LayoutCtx::new(&self.project, &self.theme, &self.geo, &self.base_dir);
        let (blocks, fonts, images) = (&mut self.blocks, &mut self.fonts, &mut self.images);
        scene::scene_at(
            &SceneInput {
                timeline: &self.timeline,
                list: self.list,
                geo: &self.geo,
                theme: &self.theme,
                messages: &self.project.messages,
            },
            &mut |i| blocks.get(&ctx, fonts, images, i),
            t,
        )
    }

    /// Message `index`'s block, measuring it if no scene has yet.
    fn block(&mut self, index: usize) -> Arc<Block> {
        if let Some(b) = self.blocks.measured(index) {
            return b.clone();
        }
        let ctx = LayoutCtx::new(&self.project, &self.theme, &self.geo, &self.base_dir);
        self.blocks.get(&ctx, &mut self.fonts, &mut self.images, index)
    }

    /// A key identifying the picture at `t`: two times with equal keys render identical pixels,
    /// so an encoder can reuse the previous frame instead of drawing and converting it again.
    pub fn frame_key(&mut self, t: Micros) -> u64 {
        self.scene(t).key()
    }

    /// Renders the frame at `t` and returns it (premultiplied RGBA8, row-major, no padding).
    pub fn render(&mut self, t: Micros) -> &Pixmap {
        let scene = self.scene(t);
        self.render_scene(&scene);
        &self.frame
    }

    /// Renders a scene computed by [`Renderer::scene`].
    ///
    /// Only the rows that can differ from the previous frame are redrawn (see [`Renderer::damage`]):
    /// the frame is a list of layers over the base, and rows whose layers are all unchanged
    /// already hold the right pixels.
    pub fn render_scene(&mut self, scene: &Scene) -> &Pixmap {
        let layers = self.layers(scene);
        let height = self.frame.height() as i32;
        self.damage = match &self.drawn {
            Some(prev) => layers::changed_rows(prev, &layers, height),
            None => std::iter::once(0..height as u32).collect(),
        };
        let w = self.frame.width() as usize * 4;
        for rows in &self.damage {
            let bytes = rows.start as usize * w..rows.end as usize * w;
            self.frame.data_mut()[bytes.clone()].copy_from_slice(&self.base.data()[bytes]);
        }
        for layer in &layers {
            layer.draw(&mut self.frame, &mut self.scratch, &self.damage);
        }
        self.drawn = Some(layers.iter().map(|l| (l.key, l.rows(height))).collect());
        &self.frame
    }

    /// The rows (sorted, disjoint ranges) in which the last rendered frame can differ from the
    /// one rendered before it; every row outside them is byte-identical. The first frame after
    /// [`Renderer::new`], [`Renderer::update`] or [`Renderer::forget_previous_frame`] is all
    /// damage. An encoder uses this to convert only what changed.
    pub fn damage(&self) -> &[Range<u32>] {
        &self.damage
    }

    /// The last rendered frame (what [`Renderer::render`] returned).
    pub fn frame(&self) -> &Pixmap {
        &self.frame
    }

    /// Makes the next render draw the whole frame (benchmarks of full-frame cost, tests).
    pub fn forget_previous_frame(&mut self) {
        self.drawn = None;
    }

    /// The scene's layers in drawing order: blocks, reactions, typing bubble, header, input bar,
    /// and the framed screen's corners.
    fn layers(&mut self, scene: &Scene) -> Vec<Layer> {
        let clip = (self.geo.list_top as i32, self.geo.list_bottom as i32);
        let full = (0, self.frame.height() as i32);
        let mut layers = Vec::with_capacity(scene.blocks.len() + scene.reactions.len() + 8);
        for item in &scene.blocks {
            let b = self.block(item.index);
            let pm = self.block_pixmap(&b, item.last_of_group);
            let content = ("block", b.hash, item.last_of_group);
            if item.enter >= 1024 {
                layers.push(Layer::new(content, pm, item.x, item.y, clip, Put::Blend));
            } else {
                let p = item.enter as f32 / 1024.0;
                let (scale, alpha, dy) = entrance(&self.theme, b.side, p);
                let pivot_x = match b.side {
                    layout::BlockSide::Me => pm.width() as f32,
                    layout::BlockSide::Them => 0.0,
                    layout::BlockSide::Center => pm.width() as f32 / 2.0,
                };
                let pivot = (pivot_x, pm.height() as f32);
                let y = item.y + (dy * self.geo.s) as i32;
                layers.push(Layer::new(content, pm, item.x, y, clip, Put::Transformed { scale, pivot, alpha }));
            }
        }
        for r in &scene.reactions {
            let pm = self.reaction_pixmap(r.index, r.count);
            let b = self.block(r.index);
            let (w, h) = (pm.width() as i32, pm.height() as i32);
            let (x, y) = match self.theme.tail {
                TailAt::LastBottom if b.reaction_right => {
                    (r.x - w / 2 + (6.0 * self.geo.s) as i32, r.y - h + (10.0 * self.geo.s) as i32)
                }
                TailAt::LastBottom => (r.x - w / 2 - (6.0 * self.geo.s) as i32, r.y - h + (10.0 * self.geo.s) as i32),
                TailAt::FirstTop if b.reaction_right => {
                    (r.x - (4.0 * self.geo.s) as i32, r.y - (6.0 * self.geo.s) as i32)
                }
                TailAt::FirstTop => (r.x - w + (4.0 * self.geo.s) as i32, r.y - (6.0 * self.geo.s) as i32),
            };
            let content = ("reaction", r.index, r.count);
            let p = r.pop as f32 / 1024.0;
            let put = if p >= 1.0 {
                Put::Blend
            } else {
                let pivot = (w as f32 / 2.0, h as f32 / 2.0);
                Put::Transformed { scale: anim::spring(p).max(0.01), pivot, alpha: (p * 4.0).min(1.0) }
            };
            layers.push(Layer::new(content, pm, x, y, clip, put));
        }
        if let Some(ty) = &scene.typing {
            layers.push(self.typing_layer(ty, clip));
        }
        let top_typing = scene.header_typing;
        if top_typing && self.top_typing.is_none() {
            self.top_typing = Some(Arc::new(chrome::draw_top(
                &mut self.fonts,
                &self.theme,
                &self.geo,
                &self.project,
                &self.header,
                Some("typing…"),
            )));
        }
        let top = if top_typing { self.top_typing.clone().expect("drawn above") } else { self.top.clone() };
        layers.push(self.chrome_layer(("top", top_typing), top, self.geo.screen_y as i32));
        let input = match scene.input_index {
            Some(i) if scene.input_chars > 0 => {
                let key = (i, scene.input_chars);
                if !self.input_cache.contains_key(&key) {
                    if self.input_cache.len() > 64 {
                        self.input_cache.clear();
                    }
                    let text: String = self.project.messages[i].text.chars().take(scene.input_chars).collect();
                    let pm = chrome::draw_input(&mut self.fonts, &self.theme, &self.geo, &text, scene.caret);
                    self.input_cache.insert(key, Arc::new(pm));
                }
                Some((key, self.input_cache[&key].clone()))
            }
            _ => None,
        };
        let input_y = (self.geo.screen_y + self.geo.screen_h - self.geo.input_h) as i32;
        layers.push(match input {
            Some((key, pm)) => self.chrome_layer(("input", key), pm, input_y),
            None => self.chrome_layer("input", self.input_empty.clone(), input_y),
        });
        for (i, (x, y, corner)) in self.corners.iter().enumerate() {
            layers.push(Layer::new(("corner", i), corner.clone(), *x, *y, full, Put::Blend));
        }
        layers
    }

    /// A chrome layer (header, input bar) at `y`: a row copy when it spans the canvas (chrome
    /// layers are always painted opaque), a blend otherwise.
    fn chrome_layer(&self, content: impl std::hash::Hash, pm: Arc<Pixmap>, y: i32) -> Layer {
        let x = self.geo.screen_x as i32;
        let full = (0, self.frame.height() as i32);
        let put = if x == 0 && pm.width() == self.frame.width() { Put::Copy } else { Put::Blend };
        Layer::new(content, pm, x, y, full, put)
    }

    /// A block's pixels from the cache, rasterizing on first use.
    fn block_pixmap(&mut self, b: &Block, last: bool) -> Arc<Pixmap> {
        let key = (b.hash, last);
        if let Some(p) = self.raster.get(&key) {
            return p.clone();
        }
        let pm = Arc::new(block::rasterize(b, &mut self.fonts, self.geo.s, last));
        if self.raster.len() >= BLOCK_CACHE_LIMIT {
            // Drop the oldest half; scrolling only ever needs the blocks around the viewport.
            let drop: Vec<_> = self.raster_order.drain(..BLOCK_CACHE_LIMIT / 2).collect();
            for k in drop {
                self.raster.remove(&k);
            }
        }
        self.raster.insert(key, pm.clone());
        self.raster_order.push(key);
        pm
    }

    /// The reaction badge of a message with its first `count` reactions.
    fn reaction_pixmap(&mut self, index: usize, count: usize) -> Arc<Pixmap> {
        if let Some(p) = self.reaction_cache.get(&(index, count)) {
            return p.clone();
        }
        let s = self.geo.s;
        let t = &self.theme;
        let m = &self.project.messages[index];
        let shown = &m.reactions[..count.min(m.reactions.len())];
        let pm = match t.tail {
            TailAt::LastBottom => {
                // iMessage tapback: a round badge with the newest emoji, blue when sent by me.
                let r = shown.last().expect("count > 0");
                let by_me = r
                    .from
                    .as_deref()
                    .and_then(|f| self.project.participants.iter().find(|p| p.id == f))
                    .is_some_and(|p| p.side == Side::Me);
                let d = 34.0 * s;
                let mut pm = Pixmap::new((d + 8.0 * s).ceil() as u32, (d + 8.0 * s).ceil() as u32).expect("badge");
                let bg = if by_me { t.me_bubble } else { t.them_bubble };
                shapes::fill(
                    &mut pm,
                    shapes::circle(d / 2.0 + 1.5 * s, d / 2.0 + 1.5 * s, d / 2.0 + 1.5 * s),
                    t.wallpaper,
                );
                shapes::fill(&mut pm, shapes::circle(d / 2.0 + 1.5 * s, d / 2.0 + 1.5 * s, d / 2.0), bg);
                shapes::fill(&mut pm, shapes::circle(d * 0.86, d * 0.98, 4.0 * s), bg);
                shapes::fill(&mut pm, shapes::circle(d * 1.02, d * 1.14, 2.0 * s), bg);
                let l = self.fonts.layout(&r.emoji, TextStyle::new(17.0 * s, 20.0 * s, 400), d * 2.0);
                self.fonts.draw(
                    &l,
                    &mut pm,
                    d / 2.0 + 1.5 * s - l.width / 2.0,
                    d / 2.0 + 1.5 * s - l.height / 2.0,
                    Rgba::hex(0xffffff),
                );
                pm
            }
            TailAt::FirstTop => {
                // WhatsApp: a pill with the distinct emoji and a count when several people reacted.
                let mut distinct: Vec<&str> = Vec::new();
                for r in shown {
                    if !distinct.contains(&r.emoji.as_str()) {
                        distinct.push(&r.emoji);
                    }
                }
                let mut label: String = distinct.iter().take(3).copied().collect::<Vec<_>>().join("");
                if shown.len() > 1 {
                    label.push_str(&format!(" {}", shown.len()));
                }
                let l = self.fonts.layout(&label, TextStyle::new(14.0 * s, 18.0 * s, 500), 300.0 * s);
                let (w, h) = (l.width + 14.0 * s, 24.0 * s);
                let mut pm = Pixmap::new((w + 4.0 * s).ceil() as u32, (h + 4.0 * s).ceil() as u32).expect("pill");
                shapes::fill(
                    &mut pm,
                    shapes::rounded_rect(0.0, 0.0, w + 4.0 * s, h + 4.0 * s, h / 2.0 + 2.0 * s),
                    t.reaction_border,
                );
                shapes::fill(&mut pm, shapes::rounded_rect(2.0 * s, 2.0 * s, w, h, h / 2.0), t.reaction_bg);
                self.fonts.draw(&l, &mut pm, 2.0 * s + 7.0 * s, 2.0 * s + (h - l.height) / 2.0, t.secondary_text);
                pm
            }
        };
        let pm = Arc::new(pm);
        self.reaction_cache.insert((index, count), pm.clone());
        pm
    }

    /// The bouncing-dots bubble of the other side.
    fn typing_layer(&mut self, ty: &scene::TypingItem, clip: (i32, i32)) -> Layer {
        let s = self.geo.s;
        let t = &self.theme;
        let (w, h) = (62.0 * s, 38.0 * s);
        let group = layout::is_group(&self.project);
        let avatar_w = if group { (t.avatar_size + 6.0) * s } else { 0.0 };
        let mut pm = Pixmap::new((w + avatar_w + 12.0 * s).ceil() as u32, (h + 8.0 * s).ceil() as u32).expect("typing");
        let bx = avatar_w + 6.0 * s;
        shapes::fill(&mut pm, shapes::rounded_rect(bx, 0.0, w, h, h / 2.0), t.them_bubble);
        if t.tail == TailAt::LastBottom {
            shapes::fill(&mut pm, shapes::circle(bx + 2.0 * s, h - 2.0 * s, 6.0 * s), t.them_bubble);
            shapes::fill(&mut pm, shapes::circle(bx - 3.0 * s, h + 4.0 * s, 3.0 * s), t.them_bubble);
        }
        let phase = ty.phase as f32 / 32.0;
        for k in 0..3 {
            // Each dot brightens in turn, a third of a cycle apart.
            let v = ((phase - k as f32 * 0.18) * std::f32::consts::TAU).sin().max(0.0);
            let c = t.typing_dot.alpha((110.0 + 145.0 * v) as u8);
            let lift = if t.tail == TailAt::FirstTop { v * 3.0 * s } else { 0.0 };
            shapes::fill(
                &mut pm,
                shapes::circle(bx + w / 2.0 + (k as f32 - 1.0) * 12.5 * s, h / 2.0 - lift, 4.6 * s),
                c,
            );
        }
        if group {
            let m = &self.project.messages[ty.index];
            if let Some(p) = m.sender.as_deref().and_then(|id| self.project.participants.iter().find(|p| p.id == id)) {
                let ctx = LayoutCtx::new(&self.project, &self.theme, &self.geo, &self.base_dir);
                let a = layout::avatar_paint(&ctx, &mut self.images, p);
                block::draw_avatar(&mut pm, &mut self.fonts, &a, 0.0, h - t.avatar_size * s, t.avatar_size * s);
            }
        }
        let x = ty.x - (6.0 * s) as i32;
        let p = ty.grow as f32 / 1024.0;
        let put = if p >= 1.0 {
            Put::Blend
        } else {
            Put::Transformed { scale: 0.4 + 0.6 * anim::spring(p), pivot: (bx, h), alpha: (p * 3.0).min(1.0) }
        };
        // The pixels depend on the sender (avatar) and the dots' phase; growth is the transform.
        Layer::new(("typing", ty.index, ty.phase), Arc::new(pm), x, ty.y, clip, put)
    }
}

/// Scale, alpha and vertical offset (pt) of a bubble entering, per platform motion.
fn entrance(t: &ThemeSpec, side: layout::BlockSide, p: f32) -> (f32, f32, f32) {
    let alpha = (p * 3.5).min(1.0);
    match (t.tail, side) {
        (_, layout::BlockSide::Center) => (1.0, anim::ease_out_cubic(p), 0.0),
        // iMessage: sent bubbles rise from the input field; received ones pop from their tail.
        (TailAt::LastBottom, layout::BlockSide::Me) => {
            let e = anim::spring(p);
            (0.86 + 0.14 * e, alpha, (1.0 - e) * 30.0)
        }
        (TailAt::LastBottom, _) => (0.55 + 0.45 * anim::spring(p), alpha, 0.0),
        // WhatsApp: a quick fade and slight grow.
        (TailAt::FirstTop, _) => (0.92 + 0.08 * anim::ease_out_cubic(p), anim::ease_out_cubic(p).max(alpha * 0.8), 0.0),
    }
}

fn check_images(project: &Project, base: &Path, images: &mut ImageCache) -> Result<(), RenderError> {
    for (field, file) in project.media_refs() {
        let is_image = field.ends_with(".image") || field == "canvas.background.path" || {
            // messages[i].media is an image for image messages only.
            field.ends_with(".media")
                && field
                    .trim_start_matches("messages[")
                    .split(']')
                    .next()
                    .and_then(|i| i.parse::<usize>().ok())
                    .is_some_and(|i| project.messages[i].kind == chatframe_model::MessageKind::Image)
        };
        if is_image {
            images.load(base, file, &field)?;
        }
    }
    Ok(())
}
