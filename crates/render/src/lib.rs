//! Scene at time t -> pixels. One engine draws the studio preview, local exports, cloud renders
//! and the Preview Monitor, so a preview frame is the exported frame.

mod error;

use std::path::Path;

use chatframe_model::{Micros, Project, Timeline};
pub use error::RenderError;
pub use tiny_skia::Pixmap;

/// Draws frames of one project. Holds the caches (fonts, bubble layouts, images) that make
/// per-frame cost independent of conversation length; create one per project and reuse it.
pub struct Renderer {
    project: Project,
    timeline: Timeline,
    frame: Pixmap,
}

impl Renderer {
    /// Prepares a renderer: builds the timeline, decodes images, lays out every message once.
    /// `base_dir` resolves relative media paths.
    pub fn new(project: Project, base_dir: &Path) -> Result<Self, RenderError> {
        let timeline = Timeline::build(&project);
        Self::with_timeline(project, timeline, base_dir)
    }

    /// Like [`Renderer::new`] with a timeline built elsewhere (e.g. with voice-note lengths).
    pub fn with_timeline(project: Project, timeline: Timeline, base_dir: &Path) -> Result<Self, RenderError> {
        let _ = base_dir;
        let frame = Pixmap::new(project.canvas.width, project.canvas.height)
            .ok_or(RenderError::CanvasSize { width: project.canvas.width, height: project.canvas.height })?;
        Ok(Renderer { project, timeline, frame })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Output size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.frame.width(), self.frame.height())
    }

    /// Renders the frame at `t` and returns it (premultiplied RGBA8, row-major, no padding).
    pub fn render(&mut self, t: Micros) -> &Pixmap {
        let _ = t;
        self.frame.fill(tiny_skia::Color::WHITE);
        &self.frame
    }

    /// A key identifying the picture at `t`: two times with equal keys render identical pixels,
    /// so an encoder can reuse the previous frame instead of drawing and converting it again.
    pub fn frame_key(&mut self, t: Micros) -> u64 {
        let _ = t;
        0
    }
}
