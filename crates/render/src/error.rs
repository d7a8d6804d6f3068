use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("canvas size {width}x{height} cannot be rendered")]
    CanvasSize { width: u32, height: u32 },
    #[error("{field}: cannot use image {}: {message}", path.display())]
    Image { field: String, path: PathBuf, message: String },
}

impl RenderError {
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
