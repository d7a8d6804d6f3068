//! Conversations: projects stored for sync. Every write bumps `revision`; updates must name the
//! revision they were made from (`If-Match`), and a stale one is 409 with the server's copy so
//! the client can merge.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chatframe_model::Project;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, ListParams, rfc3339};
use crate::state::Shared;
use crate::storage::Conversation;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationIn {
    /// A Chatframe project (the `Project` schema; older versions are migrated); validated on
    /// write, problems come back as 422 `INVALID_PROJECT` with their JSON paths.
    #[schema(value_type = Object)]
    pub project: Value,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: String,
    pub name: String,
    /// Increments on every write; send it back in `If-Match` to update.
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    #[schema(value_type = Object)]
    pub project: Value,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationSummary {
    pub id: String,
    pub name: String,
    pub revision: i64,
    pub messages: usize,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationList {
    pub data: Vec<ConversationSummary>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

pub fn out(c: Conversation) -> ConversationOut {
    ConversationOut {
        id: c.id,
        name: c.name,
        revision: c.revision,
        created_at: rfc3339(c.created_at),
        updated_at: rfc3339(c.updated_at),
        project: c.project,
    }
}

/// Validates a project with the model's own parser (migrations, JSON-path errors).
pub fn to_project(v: &Value) -> ApiResult<Project> {
    let bytes = serde_json::to_vec(v).map_err(|e| ApiError::internal(e.to_string()))?;
    chatframe_model::parse_project(&bytes).map_err(|e| {
        let problems: Vec<Value> = e
            .problems()
            .iter()
            .map(|p| match p {
                chatframe_model::ModelError::Field { path, message } => {
                    json!({ "path": format!("project.{}", path.trim_start_matches("$").trim_start_matches('.')), "problem": message })
                }
                other => json!({ "path": "project", "problem": other.to_string() }),
            })
            .collect();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_PROJECT", format!("project: {e}"))
            .with_details(json!({ "problems": problems }))
    })
}

/// Validated, normalized (migrated, ids assigned) project JSON and its display name.
fn normalize(v: &Value) -> ApiResult<(String, Value)> {
    let p = to_project(v)?;
    let name =
        if p.name.trim().is_empty() { "Untitled".to_string() } else { p.name.trim().chars().take(200).collect() };
    Ok((name, serde_json::to_value(&p).map_err(|e| ApiError::internal(e.to_string()))?))
}

fn with_etag(status: StatusCode, c: Conversation) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", c.revision)).expect("digits are a valid header");
    (status, [(header::ETAG, etag)], Json(out(c))).into_response()
}

/// `If-Match: "3"` (or `3`); `*` matches any revision. Absent = `None`.
fn if_match(headers: &HeaderMap) -> ApiResult<Option<Option<i64>>> {
    let Some(v) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let s = v.to_str().unwrap_or("").trim();
    if s == "*" {
        return Ok(Some(None));
    }
    let digits = s.trim_start_matches("W/").trim_matches('"');
    digits
        .parse::<i64>()
        .map(|n| Some(Some(n)))
        .map_err(|_| ApiError::invalid_field("If-Match", "must be a revision from the ETag, e.g. \"3\""))
}

fn conflict(current: Conversation) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "REVISION_CONFLICT",
        format!("the conversation changed on the server (now revision {}); merge and retry", current.revision),
    )
    .with_details(json!({ "current_revision": current.revision, "server_copy": out(current) }))
}

#[utoipa::path(get, path = "/v1/conversations", tag = "conversations", params(ListParams),
    responses((status = 200, body = ConversationList)))]
pub async fn list(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<ConversationList>> {
    let page = q.page()?;
    let (items, total) = state.db(move |s| s.list_conversations(&auth.account_id, page)).await?;
    Ok(Json(ConversationList {
        data: items
            .into_iter()
            .map(|c| ConversationSummary {
                messages: c.project.get("messages").and_then(Value::as_array).map_or(0, Vec::len),
                id: c.id,
                name: c.name,
                revision: c.revision,
                created_at: rfc3339(c.created_at),
                updated_at: rfc3339(c.updated_at),
            })
            .collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[utoipa::path(post, path = "/v1/conversations", tag = "conversations", request_body = ConversationIn,
    responses((status = 201, body = ConversationOut, headers(("ETag" = String)))))]
pub async fn create(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<ConversationIn>,
) -> ApiResult<Response> {
    let (name, project) = normalize(&body.project)?;
    let c = state.db(move |s| s.create_conversation(&auth.account_id, &name, &project)).await?;
    Ok(with_etag(StatusCode::CREATED, c))
}

#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = ConversationOut, headers(("ETag" = String)))))]
pub async fn get_one(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<Response> {
    let c = state.db(move |s| s.conversation(&auth.account_id, &id)).await?;
    Ok(with_etag(StatusCode::OK, c))
}

#[utoipa::path(put, path = "/v1/conversations/{id}", tag = "conversations", request_body = ConversationIn,
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The revision this edit was made from")),
    responses((status = 200, body = ConversationOut), (status = 409, description = "Stale revision; `details.server_copy` holds the server's copy", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ConversationIn>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let (name, project) = normalize(&body.project)?;
    let result = state
        .db(move |s| {
            // `*` (or no header at all) cannot be a blind overwrite: resolve it to the current
            // revision only for `*`; without `If-Match` the write is refused with the server copy.
            let rev = match expected {
                Some(Some(r)) => Some(r),
                Some(None) => Some(s.conversation(&auth.account_id, &id)?.revision),
                None => None,
            };
            s.update_conversation(&auth.account_id, &id, rev, &name, &project)
        })
        .await?;
    match result {
        Ok(c) => Ok(with_etag(StatusCode::OK, c)),
        Err(current) => Err(conflict(current)),
    }
}

#[utoipa::path(delete, path = "/v1/conversations/{id}", tag = "conversations",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "Only delete this revision")),
    responses((status = 204, description = "Deleted")))]
pub async fn delete(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let expected = if_match(&headers)?.flatten();
    match state.db(move |s| s.delete_conversation(&auth.account_id, &id, expected)).await? {
        None => Ok(StatusCode::NO_CONTENT),
        Some(current) => Err(conflict(current)),
    }
}
