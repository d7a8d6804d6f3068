//! Full-text search over the account's conversations, exports and renders (SQLite FTS5).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, check_len, rfc3339};
use crate::state::Shared;
use crate::storage::Page;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (2-200 characters); each word also matches as a prefix.
    #[param(min_length = 2, max_length = 200)]
    pub q: String,
    /// `conversation`, `export` or `render`; all when absent.
    #[param(pattern = "^(conversation|export|render)$")]
    pub kind: Option<String>,
    /// Results per page, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Page number from 1.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitOut {
    pub kind: String,
    pub id: String,
    pub title: String,
    /// Matching text with the hits in [brackets].
    pub snippet: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Pagination {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub has_more: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SearchOut {
    pub data: Vec<SearchHitOut>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "Best matches first", body = SearchOut)))]
pub async fn search(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchOut>> {
    check_len("q", q.q.trim(), 2, 200)?;
    let per_page = q.limit.unwrap_or(20);
    if !(1..=100).contains(&per_page) {
        return Err(ApiError::invalid_field("limit", "must be between 1 and 100"));
    }
    let page = q.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(ApiError::invalid_field("page", "must be 1 or more"));
    }
    if let Some(k) = &q.kind
        && !["conversation", "export", "render"].contains(&k.as_str())
    {
        return Err(ApiError::invalid_field("kind", "one of conversation, export, render"));
    }
    let p = Page { limit: per_page, offset: (page - 1) * per_page };
    let (hits, total) = state.db(move |s| s.search(&auth.account_id, &q.q, q.kind.as_deref(), p)).await?;
    Ok(Json(SearchOut {
        data: hits
            .into_iter()
            .map(|h| SearchHitOut {
                kind: h.kind,
                id: h.id,
                title: h.title,
                snippet: h.snippet,
                created_at: rfc3339(h.created_at),
            })
            .collect(),
        pagination: Pagination { total, page, per_page, has_more: p.offset + per_page < total },
    }))
}
