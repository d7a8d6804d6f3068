//! Preview frames: the export renderer's picture, scaled down for the editor.

use std::path::Path;

use chatframe_model::{Micros, Project};
use chatframe_render::{Pixmap, Renderer};
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
/// scrubbing; an edit only marks it stale and the next frame rebuilds it.
#[derive(Default)]
pub(crate) struct Preview {
    renderer: Option<Renderer>,
    stale: bool,
}

impl Preview {
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    pub fn frame(
        &mut self,
        project: &Project,
        base: &Path,
        t: Micros,
        max_width: u32,
    ) -> Result<PreviewFrame, StudioError> {
        if self.stale || self.renderer.is_none() {
            self.renderer = None;
            self.renderer = Some(Renderer::new(project.clone(), base)?);
            self.stale = false;
        }
        let renderer = self.renderer.as_mut().expect("just built");
        let full = renderer.render(t);
        let factor = scale_factor(full.width(), max_width);
        let (width, height, rgba) = if factor == 1 {
            (full.width(), full.height(), demultiply(full.data().to_vec()))
        } else {
            let small = downscale(full, factor);
            (small.width(), small.height(), demultiply(small.take()))
        };
        Ok(PreviewFrame { width, height, time_us: t, rgba })
    }
}

/// The integer reduction that fits `width` into `max_width` (1 = full size). Integer factors
/// let a box filter average whole pixel blocks: sharp text, no resampling artefacts, and cheap.
pub(crate) fn scale_factor(width: u32, max_width: u32) -> u32 {
    if max_width == 0 || width <= max_width { 1 } else { width.div_ceil(max_width) }
}

/// Box-filters a premultiplied pixmap by `factor` in both directions (averaging premultiplied
/// values is what keeps edges against transparency correct).
pub(crate) fn downscale(src: &Pixmap, factor: u32) -> Pixmap {
    let (w, h) = ((src.width() / factor).max(1), (src.height() / factor).max(1));
    let mut out = Pixmap::new(w, h).expect("non-zero size");
    let (sw, data) = (src.width() as usize, src.data());
    let f = factor as usize;
    let n = (f * f) as u32;
    let dst = out.data_mut();
    for y in 0..h as usize {
        for x in 0..w as usize {
            let mut acc = [0u32; 4];
            for dy in 0..f {
                let row = ((y * f + dy) * sw + x * f) * 4;
                for px in data[row..row + f * 4].chunks_exact(4) {
                    for c in 0..4 {
                        acc[c] += u32::from(px[c]);
                    }
                }
            }
            let o = (y * w as usize + x) * 4;
            for c in 0..4 {
                dst[o + c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Premultiplied to straight alpha, in place. Opaque pixels (nearly all of a chat frame) are
/// left untouched.
pub(crate) fn demultiply(mut rgba: Vec<u8>) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_fit_the_requested_width() {
        assert_eq!(scale_factor(1080, 540), 2);
        assert_eq!(scale_factor(1080, 1080), 1);
        assert_eq!(scale_factor(1080, 0), 1);
        assert_eq!(scale_factor(1080, 400), 3);
        assert_eq!(scale_factor(1920, 540), 4);
    }

    #[test]
    fn box_filter_averages_and_demultiplies() {
        let mut p = Pixmap::new(2, 2).unwrap();
        // Two opaque white pixels and two transparent ones average to half-transparent white.
        p.data_mut().copy_from_slice(&[255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0]);
        let small = downscale(&p, 2);
        assert_eq!(small.data(), &[128, 128, 128, 128]);
        assert_eq!(demultiply(small.data().to_vec()), vec![255, 255, 255, 128]);
    }
}
