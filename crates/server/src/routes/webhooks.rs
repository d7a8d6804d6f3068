//! Webhook endpoints, their delivery log, and a test event.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, ListParams, rfc3339};
use crate::state::Shared;
use crate::storage::{Delivery, WebhookEndpoint, new_id, now_ms};
use crate::webhooks::EVENTS;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointIn {
    /// Public http(s) URL; loopback, private, link-local and metadata addresses are refused.
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    /// Events to receive: `export.completed`, `export.failed`, `render.completed`,
    /// `render.failed`, `voice.ready`, or `*` for all.
    #[schema(min_items = 1, max_items = 10)]
    pub events: Vec<String>,
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EndpointOut {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewEndpointOut {
    #[serde(flatten)]
    pub endpoint: EndpointOut,
    /// Verifies `webhook-signature` (Standard Webhooks). Shown once.
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct EndpointList {
    pub data: Vec<EndpointOut>,
}

fn endpoint_out(e: WebhookEndpoint) -> EndpointOut {
    EndpointOut {
        id: e.id,
        url: e.url,
        events: e.events,
        description: e.description,
        created_at: rfc3339(e.created_at),
    }
}

#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks", responses((status = 200, body = EndpointList)))]
pub async fn list(State(state): State<Shared>, auth: Auth) -> ApiResult<Json<EndpointList>> {
    let eps = state.db(move |s| s.endpoints(&auth.account_id)).await?;
    Ok(Json(EndpointList { data: eps.into_iter().map(endpoint_out).collect() }))
}

#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", request_body = EndpointIn,
    responses((status = 201, body = NewEndpointOut)))]
pub async fn create(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Json<NewEndpointOut>)> {
    if body.url.len() > 2000 {
        return Err(ApiError::invalid_field("url", "at most 2000 characters"));
    }
    state.fetcher.check(&body.url).await.map_err(|e| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), format!("url: {e}"))
            .with_details(json!({ "path": "url" }))
    })?;
    if body.events.is_empty() || body.events.len() > 10 {
        return Err(ApiError::invalid_field("events", "list 1-10 events"));
    }
    for (i, ev) in body.events.iter().enumerate() {
        if ev != "*" && !EVENTS.contains(&ev.as_str()) {
            return Err(ApiError::invalid_field(
                &format!("events[{i}]"),
                format!("unknown event; one of {}", EVENTS.join(", ")),
            ));
        }
    }
    if let Some(d) = &body.description {
        crate::extract::check_len("description", d, 0, 200)?;
    }
    let ep = WebhookEndpoint {
        id: new_id("wh"),
        account_id: auth.account_id.clone(),
        url: body.url,
        events: body.events,
        secret: crate::webhooks::new_secret(),
        description: body.description,
        created_at: now_ms(),
    };
    let ep = state.db(move |s| s.create_endpoint(&ep)).await?;
    let secret = ep.secret.clone();
    Ok((StatusCode::CREATED, Json(NewEndpointOut { endpoint: endpoint_out(ep), secret })))
}

#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200, body = EndpointOut)))]
pub async fn get_one(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<EndpointOut>> {
    Ok(Json(endpoint_out(state.db(move |s| s.endpoint(&auth.account_id, &id)).await?)))
}

#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted; pending retries stop")))]
pub async fn delete(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.db(move |s| s.delete_endpoint(&auth.account_id, &id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryOut {
    /// The `webhook-id` header; the same on every retry.
    pub id: String,
    pub event: String,
    /// `pending` (will retry), `succeeded` or `failed` (gave up).
    pub status: String,
    pub attempts: i64,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    pub data: Vec<DeliveryOut>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

fn delivery_out(d: Delivery) -> DeliveryOut {
    DeliveryOut {
        next_attempt_at: (d.status == "pending").then(|| rfc3339(d.next_attempt_at)),
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        created_at: rfc3339(d.created_at),
    }
}

#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = String, Path), ListParams),
    responses((status = 200, description = "The delivery log, newest first", body = DeliveryList)))]
pub async fn deliveries(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<DeliveryList>> {
    let page = q.page()?;
    let (items, total) = state
        .db(move |s| {
            s.endpoint(&auth.account_id, &id)?;
            s.deliveries(&auth.account_id, &id, page)
        })
        .await?;
    Ok(Json(DeliveryList {
        data: items.into_iter().map(delivery_out).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// Sends a `webhook.test` event to this endpoint only.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 202, description = "Queued", body = DeliveryOut)))]
pub async fn send_test(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<DeliveryOut>)> {
    let payload = crate::webhooks::event_payload("webhook.test", json!({ "endpoint_id": id }));
    let d = state
        .db(move |s| {
            let ep = s.endpoint(&auth.account_id, &id)?;
            // Queued as a delivery of this endpoint only, whatever events it subscribes to.
            let mut ds = s.enqueue_event(
                &auth.account_id,
                "webhook.test",
                &payload,
                Some((Some(ep.id.as_str()), &ep.url, &ep.secret)),
            )?;
            let d = ds.pop().ok_or(crate::storage::StorageError::NotFound("delivery"))?;
            Ok(d)
        })
        .await?;
    state.deliveries_ready.notify_one();
    Ok((StatusCode::ACCEPTED, Json(delivery_out(d))))
}
