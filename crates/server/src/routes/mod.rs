//! The `/v1` routes, one module per resource. Each handler carries its OpenAPI description
//! (`#[utoipa::path]`), and the router is built from the same list, so the document at
//! `/v1/openapi.json` cannot drift from what is served.

pub mod account;
pub mod ai;
pub mod conversations;
pub mod exports;
pub mod search;
pub mod voices;
pub mod webhooks;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::Shared;

/// Builds the whole application and its OpenAPI document.
pub fn build(state: Shared) -> (axum::Router, serde_json::Value) {
    let authed = OpenApiRouter::new()
        .routes(routes!(account::get_account))
        .routes(routes!(account::get_credits))
        .routes(routes!(account::create_charge))
        .routes(routes!(account::estimate))
        .routes(routes!(account::list_keys, account::create_key))
        .routes(routes!(account::delete_key))
        .routes(routes!(conversations::list, conversations::create))
        .routes(routes!(conversations::get_one, conversations::update, conversations::delete))
        .routes(routes!(voices::list_voices))
        .routes(routes!(voices::get_voice, voices::delete_voice))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(voices::clone_voice))
                .layer(DefaultBodyLimit::max(state.config.limits.upload_bytes + 256 * 1024)),
        )
        .routes(routes!(voices::list_characters, voices::create_character))
        .routes(routes!(voices::get_character, voices::delete_character))
        .routes(routes!(voices::tts))
        .routes(routes!(ai::generate))
        .routes(routes!(exports::list_exports, exports::create_export))
        .routes(routes!(exports::get_export))
        .routes(routes!(exports::cancel_export))
        .routes(routes!(exports::list_renders, exports::create_render))
        .routes(routes!(exports::get_render))
        .routes(routes!(exports::cancel_render))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get_one, webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::send_test))
        .routes(routes!(search::search))
        // Inner layer first: idempotency needs the caller that auth puts in the request.
        .route_layer(from_fn_with_state(state.clone(), crate::idempotency::idempotency))
        .route_layer(from_fn_with_state(state.clone(), crate::auth::require_auth));

    let public = OpenApiRouter::new()
        .routes(routes!(account::pricing))
        .routes(routes!(exports::download))
        .routes(routes!(account::health));

    let (router, api) = OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(authed)
        .merge(public)
        .layer(DefaultBodyLimit::max(state.config.limits.json_body_bytes))
        .split_for_parts();
    let api = crate::openapi::finish(api);
    let doc = std::sync::Arc::new(serde_json::to_string_pretty(&api).expect("OpenAPI serializes"));
    let router = router
        .route(
            "/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.as_str().to_owned()) }
            }),
        )
        .fallback(|| async { ApiError::not_found("route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "this method is not allowed here")
                .into_response()
        })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal("the server hit an unexpected error").into_response()
        }))
        .with_state(state);
    (router, api)
}
