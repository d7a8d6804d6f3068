//! Preview frames: the export renderer's picture at the editor's size.

use std::path::Path;

use chatframe_model::{Micros, Project, Timeline};
use chatframe_render::Renderer;
use serde::{Deserialize, Serialize};

use crate::StudioError;

/// One preview frame. `rgba` is straight (not premultiplied) RGBA8, row-major, no padding: what
/// a canvas `ImageData` takes. It travels as binary (a Tauri channel or a WebSocket), never JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewFrame {
    pub width: u32,
    pub height: u32,
    pub time_us: Micros,
    #[serde(skip)]
    pub rgba: Vec<u8>,
}

/// The session's renderer, kept between frames so its font, layout and image caches survive
/// scrubbing and edits: an edit marks it stale and the next frame calls `Renderer::update`,
/// which re-lays out only the messages that changed.
#[derive(Default)]
pub(crate) struct Preview {
    renderer: Option<Renderer>,
    stale: bool,
    width: u32,
}

impl Preview {
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    pub fn frame(
        &mut self,
        project: &Project,
        timeline: &Timeline,
        base: &Path,
        t: Micros,
        max_width: u32,
    ) -> Result<PreviewFrame, StudioError> {
        // Scrubbing (same document, same size) must not copy the document per frame.
        let width = preview_width(project.canvas.width, max_width);
        if self.stale || self.width != width || self.renderer.is_none() {
            let sized = preview_project(project, max_width);
            match &mut self.renderer {
                Some(r) => r.update_with_timeline(sized, timeline.clone())?,
                None => self.renderer = Some(Renderer::with_timeline(sized, timeline.clone(), base)?),
            }
            self.stale = false;
            self.width = width;
        }
        let renderer = self.renderer.as_mut().expect("built above");
        let frame = renderer.render(t);
        Ok(PreviewFrame { width: frame.width(), height: frame.height(), time_us: t, rgba: demultiply(frame.data()) })
    }
}

/// The project with its canvas scaled to fit `max_width` (0 = full size). The renderer lays
/// everything out relative to the canvas, so drawing at preview size gives the export's picture
/// scaled, at a quarter of the cost of drawing full size and shrinking it.
pub(crate) fn preview_project(project: &Project, max_width: u32) -> Project {
    let c = &project.canvas;
    let mut p = project.clone();
    let w = preview_width(c.width, max_width);
    if w != c.width {
        let h = ((u64::from(c.height) * u64::from(w) / u64::from(c.width)) as u32 + 1) & !1;
        p.canvas.width = w;
        p.canvas.height = h.max(16);
    }
    p
}

/// Even sizes, like the export's, so the aspect ratio survives the rounding.
fn preview_width(width: u32, max_width: u32) -> u32 {
    if max_width == 0 || width <= max_width { width } else { (max_width & !1).max(16) }
}

/// Premultiplied to straight alpha. Opaque pixels (nearly all of a chat frame) are copied as is.
pub(crate) fn demultiply(premultiplied: &[u8]) -> Vec<u8> {
    let mut rgba = premultiplied.to_vec();
    for px in rgba.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a != 255 && a != 0 {
            for c in &mut px[..3] {
                *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
    rgba
}

/// A preview frame as it travels (HTTP body, WebSocket message, IPC response): a 16-byte header
/// (width u32 LE, height u32 LE, time in µs i64 LE) then straight RGBA8 rows. One buffer, no JSON.
pub fn encode_frame(frame: &PreviewFrame) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + frame.rgba.len());
    out.extend_from_slice(&frame.width.to_le_bytes());
    out.extend_from_slice(&frame.height.to_le_bytes());
    out.extend_from_slice(&frame.time_us.to_le_bytes());
    out.extend_from_slice(&frame.rgba);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_canvas_fits_the_width_and_keeps_the_aspect() {
        let p = chatframe_model::starter_project("x");
        let size = |w| {
            let c = preview_project(&p, w).canvas;
            (c.width, c.height)
        };
        assert_eq!(size(540), (540, 960));
        assert_eq!(size(0), (1080, 1920));
        assert_eq!(size(4000), (1080, 1920));
        assert_eq!(size(271), (270, 480));
    }

    #[test]
    fn demultiplies_translucent_pixels_only() {
        assert_eq!(demultiply(&[128, 128, 128, 128, 10, 20, 30, 255]), vec![255, 255, 255, 128, 10, 20, 30, 255]);
    }
}
