//! The HTTP face of a studio error: its payload and the status it answers with.

use chatframe_studio::{ErrorPayload, StudioError};

/// An error as callers see it: a stable code, a message, and the HTTP status it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub payload: ErrorPayload,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, payload: ErrorPayload::new(code, message) }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "NOT_FOUND", message)
    }
}

impl From<StudioError> for ApiError {
    fn from(e: StudioError) -> Self {
        use chatframe_studio::model::ErrorKind;
        let status = match e.kind() {
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Invalid => 422,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        };
        ApiError { status, payload: ErrorPayload::from(&e) }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.payload.code, self.payload.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;
