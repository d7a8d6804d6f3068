//! The one error shape every endpoint answers with: `{"error":{"code","message","details"}}`.
//! Codes are stable strings clients branch on; messages are for people.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `INSUFFICIENT_CREDITS`.
    pub code: String,
    pub message: String,
    /// Structured context (field paths, balances, retry hints); an empty object when there is none.
    #[schema(value_type = Object)]
    pub details: Value,
}

/// An error an endpoint returns. Built with the constructors below so status and code stay paired.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Value,
    /// Seconds for the `Retry-After` header (429 and 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), details: json!({}), retry_after: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// A field that parsed but is not acceptable; `path` is a JSON path such as `messages[2].text`.
    pub fn invalid_field(path: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", format!("{path}: {message}"))
            .with_details(json!({ "path": path, "problem": message }))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    /// Also used for objects of other accounts, so ids of others cannot be probed.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", format!("{what} not found"))
    }

    pub fn insufficient_credits(needed: i64, balance: i64) -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "INSUFFICIENT_CREDITS",
            format!("this request costs {needed} credits; the balance is {balance}"),
        )
        .with_details(json!({ "required": needed, "balance": balance }))
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let retry_after = retry_after.max(1);
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            format!("rate limit exceeded; retry after {retry_after} seconds"),
        )
        .with_details(json!({ "retry_after": retry_after }));
        e.retry_after = Some(retry_after);
        e
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", message)
    }

    pub fn upstream(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::debug!(code = self.code, "service unavailable");
        } else if self.status.is_server_error() {
            tracing::error!(code = self.code, message = %self.message, "request failed");
        }
        let body = json!({ "error": { "code": self.code, "message": self.message, "details": self.details } });
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        resp
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        use crate::storage::StorageError as S;
        match e {
            S::NotFound(what) => ApiError::not_found(what),
            S::InsufficientCredits { needed, balance } => ApiError::insufficient_credits(needed, balance),
            S::Conflict(msg) => ApiError::new(StatusCode::CONFLICT, "CONFLICT", msg),
            S::Database(e) => ApiError::internal(format!("storage error: {e}")),
            S::Io(e) => ApiError::internal(format!("storage i/o error: {e}")),
            S::Corrupt(msg) => ApiError::internal(format!("stored data unreadable: {msg}")),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::internal(format!("worker task failed: {e}"))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
