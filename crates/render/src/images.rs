//! Decoding and fitting of photos, avatars and background images. Each file is decoded once per
//! renderer and each size it is drawn at is resampled once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{RgbaImage, imageops::FilterType};
use tiny_skia::{FillRule, Mask, Pixmap, Transform};

use crate::RenderError;

/// Largest image accepted (pixels), so a hostile file cannot exhaust memory.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

#[derive(Default)]
pub struct ImageCache {
    decoded: HashMap<PathBuf, Arc<RgbaImage>>,
}

impl ImageCache {
    /// Decodes `file` (relative to `base`), naming `field` in any error.
    pub fn load(&mut self, base: &Path, file: &str, field: &str) -> Result<Arc<RgbaImage>, RenderError> {
        let path = chatframe_model::resolve_media(base, file);
        if let Some(img) = self.decoded.get(&path) {
            return Ok(img.clone());
        }
        let err = |message: String| RenderError::Image { field: field.to_string(), path: path.clone(), message };
        let bytes = std::fs::read(&path).map_err(|e| err(e.to_string()))?;
        let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| err(e.to_string()))?;
        if reader.format().is_none() {
            return Err(err("not a supported image format (use PNG, JPEG, WebP or GIF)".into()));
        }
        let (w, h) = reader.into_dimensions().map_err(|e| err(e.to_string()))?;
        if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
            return Err(err(format!("{w}x{h} is too large (limit {} megapixels)", MAX_IMAGE_PIXELS / 1_000_000)));
        }
        let img = image::load_from_memory(&bytes).map_err(|e| err(e.to_string()))?.to_rgba8();
        let img = Arc::new(img);
        self.decoded.insert(path, img.clone());
        Ok(img)
    }
}

/// Scales `img` to cover `w`x`h` (cropping the overflow, centered) as a premultiplied pixmap.
pub fn cover(img: &RgbaImage, w: u32, h: u32) -> Pixmap {
    let (iw, ih) = (img.width() as f32, img.height() as f32);
    let scale = (w as f32 / iw).max(h as f32 / ih);
    let (sw, sh) = (((iw * scale).round() as u32).max(w), ((ih * scale).round() as u32).max(h));
    let resized = image::imageops::resize(img, sw, sh, FilterType::CatmullRom);
    let (ox, oy) = ((sw - w) / 2, (sh - h) / 2);
    let cropped = image::imageops::crop_imm(&resized, ox, oy, w, h).to_image();
    to_pixmap(&cropped)
}

/// Converts straight-alpha RGBA to a premultiplied pixmap.
pub fn to_pixmap(img: &RgbaImage) -> Pixmap {
    let mut p = Pixmap::new(img.width().max(1), img.height().max(1)).expect("non-zero size");
    for (dst, src) in p.data_mut().chunks_exact_mut(4).zip(img.as_raw().chunks_exact(4)) {
        let a = src[3] as u32;
        dst[0] = crate::paint::mul255(src[0] as u32, a) as u8;
        dst[1] = crate::paint::mul255(src[1] as u32, a) as u8;
        dst[2] = crate::paint::mul255(src[2] as u32, a) as u8;
        dst[3] = src[3];
    }
    p
}

/// Draws `src` into `dst` at (x, y) clipped to a rounded rectangle of radius `r` (photos) or a
/// circle when `r` is half the size (avatars).
pub fn draw_rounded(dst: &mut Pixmap, src: &Pixmap, x: f32, y: f32, r: f32) {
    let (w, h) = (src.width() as f32, src.height() as f32);
    let Some(path) = crate::shapes::rounded_rect(x, y, w, h, r) else { return };
    let Some(mut mask) = Mask::new(dst.width(), dst.height()) else { return };
    mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
    dst.draw_pixmap(
        0,
        0,
        src.as_ref(),
        &tiny_skia::PixmapPaint { quality: tiny_skia::FilterQuality::Bilinear, ..Default::default() },
        Transform::from_translate(x, y),
        Some(&mask),
    );
}
