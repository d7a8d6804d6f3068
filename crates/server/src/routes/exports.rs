//! Exports (a stored conversation to a video) and template renders (the same, with
//! `{{variables}}` filled per viewer, a client request id and a callback), plus signed,
//! expiring download links.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, ListParams, check_len, rfc3339};
use crate::state::{AppState, Shared};
use crate::storage::{Job, JobKind, NewJob, new_id, now_ms};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportIn {
    pub conversation_id: String,
    /// `mp4` (default), `webm`, `gif` or `mov`.
    #[schema(pattern = "^(mp4|webm|gif|mov)$")]
    pub format: Option<String>,
    /// `720p`, `1080p` (default) or `4k`.
    #[schema(pattern = "^(720p|1080p|4k)$")]
    pub resolution: Option<String>,
    /// Draw a "Made with Chatframe" mark. Default false.
    pub watermark: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderIn {
    pub conversation_id: String,
    /// Values for `{{name}}` placeholders in the conversation's texts and names.
    pub variables: Option<BTreeMap<String, String>>,
    /// Your id for this render (1-128 characters); repeating it returns the first job.
    #[schema(min_length = 1, max_length = 128)]
    pub client_request_id: Option<String>,
    /// Receives the finished job (Standard Webhooks signed with the account's callback secret).
    #[schema(max_length = 2000)]
    pub callback_url: Option<String>,
    #[schema(pattern = "^(mp4|webm|gif|mov)$")]
    pub format: Option<String>,
    #[schema(pattern = "^(720p|1080p|4k)$")]
    pub resolution: Option<String>,
    pub watermark: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct JobOut {
    pub id: String,
    /// `export` or `render`.
    pub kind: String,
    /// `queued`, `processing`, `done` or `failed`.
    pub status: String,
    /// 0.0-1.0
    pub progress: f64,
    pub conversation_id: String,
    pub format: String,
    pub resolution: String,
    pub watermark: bool,
    /// Length of the video, seconds.
    pub duration_seconds: f64,
    pub credits: i64,
    /// Signed download link, when done.
    pub output_url: Option<String>,
    pub output_expires_at: Option<String>,
    pub output_bytes: Option<i64>,
    pub error: Option<String>,
    pub client_request_id: Option<String>,
    pub callback_url: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub variables: Option<Value>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct JobList {
    pub data: Vec<JobOut>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

fn sign_download(key: &[u8], id: &str, expires: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("{id}.{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn job_json(state: &AppState, j: &Job) -> JobOut {
    let (output_url, output_expires_at) = if j.status == crate::storage::JobStatus::Done {
        let expires = now_ms() / 1000 + state.config.jobs.download_url_ttl_secs as i64;
        let sig = sign_download(&state.url_key, &j.id, expires);
        (
            Some(format!("{}/v1/files/{}?expires={expires}&signature={sig}", state.public_base(), j.id)),
            Some(rfc3339(expires * 1000)),
        )
    } else {
        (None, None)
    };
    JobOut {
        id: j.id.clone(),
        kind: j.kind.as_str().into(),
        status: j.status.as_str().into(),
        progress: j.progress,
        conversation_id: j.conversation_id.clone(),
        format: j.params["format"].as_str().unwrap_or("mp4").into(),
        resolution: j.params["resolution"].as_str().unwrap_or("1080p").into(),
        watermark: j.params["watermark"].as_bool().unwrap_or(false),
        duration_seconds: j.duration_secs,
        credits: j.credits,
        output_url,
        output_expires_at,
        output_bytes: j.output_bytes,
        error: j.error.clone(),
        client_request_id: j.client_request_id.clone(),
        callback_url: j.callback_url.clone(),
        variables: j.params.get("variables").cloned(),
        created_at: rfc3339(j.created_at),
        updated_at: rfc3339(j.updated_at),
        completed_at: j.completed_at.map(rfc3339),
    }
}

fn check_output(format: &Option<String>, resolution: &Option<String>) -> ApiResult<(String, String)> {
    let format = format.clone().unwrap_or_else(|| "mp4".into());
    if !["mp4", "webm", "gif", "mov"].contains(&format.as_str()) {
        return Err(ApiError::invalid_field("format", "one of mp4, webm, gif, mov"));
    }
    let resolution = resolution.clone().unwrap_or_else(|| "1080p".into());
    if !["720p", "1080p", "4k"].contains(&resolution.as_str()) {
        return Err(ApiError::invalid_field("resolution", "one of 720p, 1080p, 4k"));
    }
    Ok((format, resolution))
}

/// Replaces `{{ name }}` in every string of the project that a viewer sees.
fn fill(value: &mut Value, vars: &BTreeMap<String, String>, missing: &mut Vec<String>) {
    match value {
        Value::String(s) if s.contains("{{") => {
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let Some(len) = rest[start..].find("}}") else { break };
                out.push_str(&rest[..start]);
                let name = rest[start + 2..start + len].trim();
                match vars.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        if !missing.iter().any(|m| m == name) {
                            missing.push(name.to_string());
                        }
                        out.push_str(&rest[start..start + len + 2]);
                    }
                }
                rest = &rest[start + len + 2..];
            }
            out.push_str(rest);
            *s = out;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, vars, missing)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                // Media paths and ids are not text a viewer reads.
                if !matches!(k.as_str(), "id" | "media" | "path" | "src" | "image" | "sender" | "from" | "voice") {
                    fill(v, vars, missing);
                }
            }
        }
        _ => {}
    }
}

struct JobSpec {
    kind: JobKind,
    conversation_id: String,
    format: String,
    resolution: String,
    watermark: bool,
    variables: Option<BTreeMap<String, String>>,
    client_request_id: Option<String>,
    callback_url: Option<String>,
}

async fn start_job(state: &Shared, auth: &Auth, spec: JobSpec) -> ApiResult<Job> {
    let (acct, cid) = (auth.account_id.clone(), spec.conversation_id.clone());
    let conv = state
        .db(move |s| match s.conversation(&acct, &cid) {
            Err(crate::storage::StorageError::NotFound(_)) => Ok(None),
            other => other.map(Some),
        })
        .await?
        .ok_or_else(|| ApiError::invalid_field("conversation_id", "no such conversation"))?;
    let mut project = conv.project.clone();
    if let Some(vars) = &spec.variables {
        let mut missing = Vec::new();
        fill(&mut project, vars, &mut missing);
        if !missing.is_empty() {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "MISSING_VARIABLES",
                format!(
                    "no value for {}",
                    missing.iter().map(|m| format!("{{{{{m}}}}}")).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_details(json!({ "missing": missing })));
        }
    }
    let parsed = crate::routes::conversations::to_project(&project)?;
    let (secs, billable) = crate::jobs::billable_seconds(&parsed);
    let per_sec = if spec.kind == JobKind::Export {
        state.config.pricing.export_per_second
    } else {
        state.config.pricing.render_per_second
    };
    let mut params = json!({ "format": spec.format, "resolution": spec.resolution, "watermark": spec.watermark });
    if let Some(v) = &spec.variables {
        params["variables"] = json!(v);
    }
    let job = NewJob {
        id: new_id(if spec.kind == JobKind::Export { "exp" } else { "rnd" }),
        account_id: auth.account_id.clone(),
        kind: spec.kind,
        conversation_id: conv.id.clone(),
        params,
        project,
        credits: billable * per_sec,
        duration_secs: secs,
        client_request_id: spec.client_request_id.clone(),
        callback_url: spec.callback_url,
        title: format!("{} of {}", spec.kind.as_str(), conv.name),
    };
    let acct = auth.account_id.clone();
    let crid = spec.client_request_id;
    let job = state
        .db(move |s| match s.create_job(&job) {
            // Two renders raced with one client request id: the unique index kept the first.
            Err(crate::storage::StorageError::Database(e))
                if crid.is_some() && e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                s.job_by_client_request_id(&acct, crid.as_deref().unwrap_or_default())?
                    .ok_or(crate::storage::StorageError::NotFound("render"))
            }
            other => other,
        })
        .await?;
    state.jobs_ready.notify_one();
    Ok(job)
}

#[utoipa::path(post, path = "/v1/exports", tag = "exports", request_body = ExportIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses((status = 201, description = "Queued; charged per output second, refunded if it fails", body = JobOut)))]
pub async fn create_export(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<ExportIn>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    let (format, resolution) = check_output(&body.format, &body.resolution)?;
    let spec = JobSpec {
        kind: JobKind::Export,
        conversation_id: body.conversation_id,
        format,
        resolution,
        watermark: body.watermark.unwrap_or(false),
        variables: None,
        client_request_id: None,
        callback_url: None,
    };
    let job = start_job(&state, &auth, spec).await?;
    Ok((StatusCode::CREATED, Json(job_json(&state, &job))))
}

#[utoipa::path(get, path = "/v1/exports", tag = "exports", params(ListParams), responses((status = 200, body = JobList)))]
pub async fn list_exports(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<JobList>> {
    list(state, auth, q, JobKind::Export).await
}

async fn list(state: Shared, auth: Auth, q: ListParams, kind: JobKind) -> ApiResult<Json<JobList>> {
    let page = q.page()?;
    let (jobs, total) = state.db(move |s| s.list_jobs(&auth.account_id, kind, page)).await?;
    Ok(Json(JobList {
        data: jobs.iter().map(|j| job_json(&state, j)).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[utoipa::path(get, path = "/v1/exports/{id}", tag = "exports", params(("id" = String, Path)),
    responses((status = 200, description = "Status with progress; `output_url` once done", body = JobOut)))]
pub async fn get_export(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<JobOut>> {
    let job = state.db(move |s| s.job(&auth.account_id, JobKind::Export, &id)).await?;
    Ok(Json(job_json(&state, &job)))
}

#[utoipa::path(post, path = "/v1/renders", tag = "renders", request_body = RenderIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses((status = 201, description = "Queued", body = JobOut),
        (status = 200, description = "A render with this client_request_id already exists: that job", body = JobOut)))]
pub async fn create_render(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<RenderIn>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    let (format, resolution) = check_output(&body.format, &body.resolution)?;
    if let Some(id) = &body.client_request_id {
        check_len("client_request_id", id, 1, 128)?;
        let (acct, crid) = (auth.account_id.clone(), id.clone());
        if let Some(job) = state.db(move |s| s.job_by_client_request_id(&acct, &crid)).await? {
            return Ok((StatusCode::OK, Json(job_json(&state, &job))));
        }
    }
    if let Some(vars) = &body.variables {
        if vars.len() > 50 {
            return Err(ApiError::invalid_field("variables", "at most 50 variables"));
        }
        for (k, v) in vars {
            if k.is_empty() || k.len() > 64 || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(ApiError::invalid_field(&format!("variables.{k}"), "names are 1-64 letters, digits or _"));
            }
            check_len(&format!("variables.{k}"), v, 0, 1000)?;
        }
    }
    if let Some(url) = &body.callback_url {
        state.fetcher.check(url).await.map_err(|e| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), format!("callback_url: {e}"))
                .with_details(json!({ "path": "callback_url" }))
        })?;
    }
    let spec = JobSpec {
        kind: JobKind::Render,
        conversation_id: body.conversation_id,
        format,
        resolution,
        watermark: body.watermark.unwrap_or(false),
        variables: body.variables,
        client_request_id: body.client_request_id,
        callback_url: body.callback_url,
    };
    let job = start_job(&state, &auth, spec).await?;
    Ok((StatusCode::CREATED, Json(job_json(&state, &job))))
}

#[utoipa::path(get, path = "/v1/renders", tag = "renders", params(ListParams), responses((status = 200, body = JobList)))]
pub async fn list_renders(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<JobList>> {
    list(state, auth, q, JobKind::Render).await
}

#[utoipa::path(get, path = "/v1/renders/{id}", tag = "renders", params(("id" = String, Path)),
    responses((status = 200, body = JobOut)))]
pub async fn get_render(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<JobOut>> {
    let job = state.db(move |s| s.job(&auth.account_id, JobKind::Render, &id)).await?;
    Ok(Json(job_json(&state, &job)))
}

async fn cancel(state: Shared, auth: Auth, kind: JobKind, id: String) -> ApiResult<(StatusCode, Json<JobOut>)> {
    let (acct, jid) = (auth.account_id.clone(), id.clone());
    let job = state.db(move |s| s.cancel_queued(&acct, kind, &jid)).await?;
    match job.status {
        crate::storage::JobStatus::Processing => {
            // Running here: the worker sees the flag, stops, and fails + refunds the job.
            if let Some(flag) = state.running.lock().expect("running poisoned").get(&id) {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            Ok((StatusCode::ACCEPTED, Json(job_json(&state, &job))))
        }
        crate::storage::JobStatus::Failed if job.error.as_deref() == Some("cancelled by the client") => {
            Ok((StatusCode::OK, Json(job_json(&state, &job))))
        }
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "JOB_FINISHED",
            format!("the job already ended ({})", job.status.as_str()),
        )),
    }
}

/// Stops a queued or running export; it ends `failed` ("cancelled by the client") and is
/// refunded. 200 when it was cancelled at once, 202 when a running render is being stopped.
#[utoipa::path(post, path = "/v1/exports/{id}/cancel", tag = "exports", params(("id" = String, Path)),
    responses((status = 200, description = "Cancelled and refunded", body = JobOut),
        (status = 202, description = "Stopping; poll the job", body = JobOut),
        (status = 409, description = "Already finished", body = crate::error::ErrorBody)))]
pub async fn cancel_export(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    cancel(state, auth, JobKind::Export, id).await
}

/// Stops a queued or running render, like exports.
#[utoipa::path(post, path = "/v1/renders/{id}/cancel", tag = "renders", params(("id" = String, Path)),
    responses((status = 200, description = "Cancelled and refunded", body = JobOut),
        (status = 202, description = "Stopping; poll the job", body = JobOut),
        (status = 409, description = "Already finished", body = crate::error::ErrorBody)))]
pub async fn cancel_render(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    cancel(state, auth, JobKind::Render, id).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadParams {
    /// Unix time after which the link stops working.
    pub expires: i64,
    pub signature: String,
}

/// The finished video. The signed link is the authorization, so it can be handed to a player or
/// a CDN without the API key.
#[utoipa::path(get, path = "/v1/files/{id}", tag = "exports", security(()), params(("id" = String, Path), DownloadParams),
    responses((status = 200, description = "The video file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, description = "Bad or expired signature", body = crate::error::ErrorBody)))]
pub async fn download(
    State(state): State<Shared>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DownloadParams>,
) -> ApiResult<Response> {
    let expected = sign_download(&state.url_key, &id, q.expires);
    let valid = expected.len() == q.signature.len()
        && expected.bytes().zip(q.signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !valid {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "INVALID_SIGNATURE", "the download link is not valid"));
    }
    if q.expires < now_ms() / 1000 {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "LINK_EXPIRED",
            "the download link has expired; fetch the job again for a new one",
        ));
    }
    let job = state.db(move |s| s.job_any(&id)).await?;
    let key = job.output_path.clone().ok_or_else(|| ApiError::not_found("file"))?;
    let path = state.objects.open_path(&key).map_err(|_| ApiError::not_found("file"))?;
    let file = tokio::fs::File::open(&path).await.map_err(|_| ApiError::not_found("file"))?;
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let ext = crate::jobs::extension(job.params["format"].as_str().unwrap_or("mp4"));
    let mime = match ext {
        "webm" => "video/webm",
        "gif" => "image/gif",
        "mov" => "video/quicktime",
        _ => "video/mp4",
    };
    let body = Body::from_stream(tokio_util_stream(file));
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.{ext}\"", job.id)),
        ],
        body,
    )
        .into_response())
}

/// Streams a file in 64 KB chunks without reading it whole into memory.
fn tokio_util_stream(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send {
    use tokio::io::AsyncReadExt;
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}
