//! `Idempotency-Key` on POST requests: the first request with a key runs and its response is
//! stored; a repeat with the same body gets that response again (header `Idempotent-Replayed:
//! true`); a repeat with another body is 422. Concurrent repeats wait for the first to finish, so
//! twenty simultaneous retries make one job and one charge.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::Shared;
use crate::storage::{IdemBegin, StoredResponse};

pub const HEADER: &str = "idempotency-key";
/// A pending key older than this belongs to a request that died with its process.
const STALE_MS: i64 = 10 * 60 * 1000;
const WAIT_LIMIT: Duration = Duration::from_secs(60);
const MAX_STORED_RESPONSE: usize = 64 * 1024 * 1024;

pub async fn idempotency(State(state): State<Shared>, req: Request, next: Next) -> Response {
    match run(state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn run(state: Shared, req: Request, next: Next) -> Result<Response, ApiError> {
    if req.method() != Method::POST || !req.headers().contains_key(HEADER) {
        return Ok(next.run(req).await);
    }
    let key = req.headers()[HEADER].to_str().unwrap_or("").to_string();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid_field("Idempotency-Key", "must be 1-255 visible ASCII characters"));
    }
    let auth = req.extensions().get::<Auth>().cloned().ok_or_else(|| ApiError::internal("idempotency without auth"))?;
    let (parts, body) = req.into_parts();
    let limit = state.config.limits.upload_bytes + 256 * 1024;
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "request body is too large"))?;
    let hash = request_hash(parts.method.as_str(), parts.uri.path(), parts.uri.query(), &bytes);

    let started = Instant::now();
    loop {
        let (acct, k, h) = (auth.account_id.clone(), key.clone(), hash.clone());
        match state.db(move |s| s.idem_begin(&acct, &k, &h, STALE_MS)).await? {
            IdemBegin::Started => break,
            IdemBegin::Replay(stored) => return Ok(replay(stored)),
            IdemBegin::Mismatch => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was already used with a different request",
                ));
            }
            IdemBegin::InProgress if started.elapsed() < WAIT_LIMIT => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            IdemBegin::InProgress => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "IDEMPOTENCY_IN_PROGRESS",
                    "a request with this Idempotency-Key is still running; retry later",
                ));
            }
        }
    }

    let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let (acct, k) = (auth.account_id.clone(), key.clone());
    if resp.status().is_server_error() {
        // Our failure, not the client's: let a retry with the same key run again.
        state.db(move |s| s.idem_abandon(&acct, &k)).await?;
        return Ok(resp);
    }
    let (mut parts, body) = resp.into_parts();
    let status = parts.status.as_u16();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if content_type.starts_with("text/event-stream") {
        // Forward the stream as it is written and store the whole of it once it ends.
        let buf = Arc::new(Mutex::new(Vec::new()));
        let tee = buf.clone();
        let state2 = state.clone();
        let stream = body.into_data_stream().map(move |chunk| {
            if let Ok(c) = &chunk {
                tee.lock().expect("tee poisoned").extend_from_slice(c);
            }
            chunk
        });
        let finish = futures_util::stream::once(async move {
            let body = std::mem::take(&mut *buf.lock().expect("tee poisoned"));
            let stored = StoredResponse { status, content_type, body };
            let _ = state2.db(move |s| s.idem_finish(&acct, &k, &stored)).await;
            Ok::<Bytes, axum::Error>(Bytes::new())
        });
        return Ok(Response::from_parts(parts, Body::from_stream(stream.chain(finish))));
    }
    let body = axum::body::to_bytes(body, MAX_STORED_RESPONSE)
        .await
        .map_err(|e| ApiError::internal(format!("cannot buffer the response: {e}")))?;
    let stored = StoredResponse { status, content_type, body: body.to_vec() };
    state.db(move |s| s.idem_finish(&acct, &k, &stored)).await?;
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Response::from_parts(parts, Body::from(body)))
}

fn replay(stored: StoredResponse) -> Response {
    let mut resp = Response::new(Body::from(stored.body));
    *resp.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    if let Ok(ct) = HeaderValue::from_str(&stored.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    resp
}

/// Method, path, query and body: the same key on another endpoint is "another request" too.
fn request_hash(method: &str, path: &str, query: Option<&str>, body: &[u8]) -> String {
    let mut h = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes(), query.unwrap_or("").as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(body);
    hex::encode(h.finalize())
}
