//! Output formats and size/frame-rate presets.

use std::path::Path;
use std::str::FromStr;

use chatframe_model::Canvas;

use crate::ExportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// H.264 + AAC, yuv420p, `+faststart`: plays everywhere, what social apps want.
    Mp4,
    /// VP9 + Opus.
    Webm,
    /// ProRes 4444 with alpha + PCM audio, for overlays in an editor.
    Mov,
    /// Animated GIF with an optimized palette; no audio.
    Gif,
    /// A directory of numbered PNG frames (straight alpha); no audio.
    PngSequence,
    /// The mixed audio only, 48 kHz 16-bit stereo.
    Wav,
    /// Subtitles: one cue per message.
    Srt,
}

impl Format {
    pub const ALL: [Format; 7] =
        [Format::Mp4, Format::Webm, Format::Mov, Format::Gif, Format::PngSequence, Format::Wav, Format::Srt];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Mp4 => "mp4",
            Format::Webm => "webm",
            Format::Mov => "mov",
            Format::Gif => "gif",
            Format::PngSequence => "png",
            Format::Wav => "wav",
            Format::Srt => "srt",
        }
    }

    /// The format an output path implies by its extension; a path without one (or ending in a
    /// slash) is a PNG-sequence directory.
    pub fn from_path(path: &Path) -> Option<Format> {
        if path.as_os_str().to_string_lossy().ends_with('/') {
            return Some(Format::PngSequence);
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) => ext.parse().ok(),
            None => Some(Format::PngSequence),
        }
    }

    /// Whether frames are rendered (everything but the side files).
    pub fn has_video(self) -> bool {
        !matches!(self, Format::Wav | Format::Srt)
    }

    /// Whether the container carries the mixed audio.
    pub fn has_audio(self) -> bool {
        matches!(self, Format::Mp4 | Format::Webm | Format::Mov | Format::Wav)
    }

    /// Whether ffmpeg does the encoding (PNG, WAV and SRT are written directly).
    pub fn uses_ffmpeg(self) -> bool {
        matches!(self, Format::Mp4 | Format::Webm | Format::Mov | Format::Gif)
    }

    /// Formats that keep (or quantize) color themselves are fed straight RGBA; the others get
    /// yuv420p converted in Rust, a third of the bytes and no swscale work in ffmpeg.
    pub(crate) fn feeds_rgba(self) -> bool {
        matches!(self, Format::Mov | Format::Gif)
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, ExportError> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "mp4" | "m4v" => Format::Mp4,
            "webm" => Format::Webm,
            "mov" | "prores" => Format::Mov,
            "gif" => Format::Gif,
            "png" | "png-sequence" | "pngs" => Format::PngSequence,
            "wav" => Format::Wav,
            "srt" => Format::Srt,
            _ => return Err(ExportError::Format(s.to_string())),
        })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Output size and frame rate, e.g. `9x16-1080p` (1080×1920), `16x9-4k`, `1x1-720p60`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub width: u32,
    pub height: u32,
    /// `None` keeps the project's frame rate.
    pub fps: Option<u32>,
}

impl Preset {
    /// Every named preset, for help texts and pickers.
    pub const NAMES: [&'static str; 9] =
        ["9x16-720p", "9x16-1080p", "9x16-4k", "16x9-720p", "16x9-1080p", "16x9-4k", "1x1-720p", "1x1-1080p", "1x1-4k"];

    /// Applies the preset to a canvas (the layout adapts; nothing is scaled).
    pub fn apply(&self, canvas: &mut Canvas) {
        canvas.width = self.width;
        canvas.height = self.height;
        if let Some(fps) = self.fps {
            canvas.fps = fps;
        }
    }
}

impl FromStr for Preset {
    type Err = ExportError;

    fn from_str(input: &str) -> Result<Self, ExportError> {
        let bad = |message: &str| ExportError::Preset { input: input.to_string(), message: message.to_string() };
        let s = input.trim().to_ascii_lowercase();
        let (aspect, rest) = s
            .split_once(['-', '@', '_'])
            .ok_or_else(|| bad("expected ASPECT-RESOLUTION, e.g. 9x16-1080p, 16x9-720p60 or 1x1-4k"))?;
        let aspect = aspect.replace(':', "x");
        let (short, fps) = if let Some(fps) = rest.strip_prefix("4k") {
            (2160, fps)
        } else {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            let short = match &rest[..digits] {
                "720" => 720,
                "1080" => 1080,
                "2160" => 2160,
                _ => return Err(bad("resolution must be 720p, 1080p or 4k")),
            };
            (short, rest[digits..].strip_prefix('p').unwrap_or(&rest[digits..]))
        };
        let fps = fps.trim_start_matches(['@', '-', '_']);
        let long = match short {
            720 => 1280,
            1080 => 1920,
            _ => 3840,
        };
        let (width, height) = match aspect.as_str() {
            "9x16" => (short, long),
            "16x9" => (long, short),
            "1x1" => (short, short),
            _ => return Err(bad("aspect must be 9x16, 16x9 or 1x1")),
        };
        let fps = match fps.trim_end_matches("fps") {
            "" => None,
            "30" => Some(30),
            "60" => Some(60),
            _ => return Err(bad("frame rate must be 30 or 60")),
        };
        Ok(Preset { width, height, fps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse() {
        let p = |s: &str| s.parse::<Preset>().unwrap();
        assert_eq!(p("9x16-1080p"), Preset { width: 1080, height: 1920, fps: None });
        assert_eq!(p("16x9-720p"), Preset { width: 1280, height: 720, fps: None });
        assert_eq!(p("1x1-4k"), Preset { width: 2160, height: 2160, fps: None });
        assert_eq!(p("9:16-4K"), Preset { width: 2160, height: 3840, fps: None });
        assert_eq!(p("16x9-1080p60"), Preset { width: 1920, height: 1080, fps: Some(60) });
        assert_eq!(p("9x16-720p@30"), Preset { width: 720, height: 1280, fps: Some(30) });
        assert_eq!(p("9x16-1080p-60fps"), Preset { width: 1080, height: 1920, fps: Some(60) });
        assert_eq!(p("16x9-4k60"), Preset { width: 3840, height: 2160, fps: Some(60) });
        for name in Preset::NAMES {
            p(name);
        }
        for bad in ["", "9x16", "4x3-1080p", "9x16-999p", "9x16-1080p25"] {
            let e = bad.parse::<Preset>().unwrap_err();
            assert_eq!(e.code(), "INVALID_PRESET", "{bad}");
        }
    }

    #[test]
    fn formats_come_from_names_and_extensions() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        }
        assert_eq!(Format::from_path(Path::new("a/b.MP4")), Some(Format::Mp4));
        assert_eq!(Format::from_path(Path::new("frames/")), Some(Format::PngSequence));
        assert_eq!(Format::from_path(Path::new("frames")), Some(Format::PngSequence));
        assert_eq!(Format::from_path(Path::new("x.avi")), None);
    }
}
