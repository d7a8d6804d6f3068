use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("canvas size {width}x{height} cannot be rendered")]
    CanvasSize { width: u32, height: u32 },
    #[error("{field}: cannot use image {}: {message}", path.display())]
    Image { field: String, path: PathBuf, message: String },
}

impl RenderError {
    /// Every code [`Self::code`] returns for this type's own variants (a wrapped error carries
    /// its own type's codes); the studio joins these lists into the UI's `ErrorCode` union.
    pub const CODES: &'static [&'static str] = &["INVALID_CANVAS", "BAD_IMAGE"];

    /// A stable code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            RenderError::CanvasSize { .. } => "INVALID_CANVAS",
            RenderError::Image { .. } => "BAD_IMAGE",
        }
    }

    /// Both are about the project: its canvas or one of its images.
    pub fn kind(&self) -> chatframe_model::ErrorKind {
        match self {
            RenderError::CanvasSize { .. } | RenderError::Image { .. } => chatframe_model::ErrorKind::Invalid,
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    #[test]
    fn codes_lists_exactly_the_codes_its_own_variants_carry() {
        let samples = [
            RenderError::CanvasSize { width: 0, height: 0 },
            RenderError::Image { field: "f".into(), path: "p".into(), message: "m".into() },
        ];
        let carried: std::collections::BTreeSet<_> = samples.iter().map(|e| e.code()).collect();
        assert_eq!(carried, RenderError::CODES.iter().copied().collect());
    }
}
