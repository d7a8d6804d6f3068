//! The OpenAPI document: paths and schemas come from the handlers' annotations; this module adds
//! what every operation shares (security, the error responses of the common error format), so
//! each handler only documents what is particular to it.

use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chatframe Cloud API",
        description = "Accounts and credits, conversation sync, voices and speech, the AI writer, exports and template renders, webhooks and search. Authenticate with `Authorization: Bearer <key>` or `x-api-key`.",
        license(name = "MIT")
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "account", description = "Account, credits, prices and API keys"),
        (name = "conversations", description = "Projects stored for sync, with revisions"),
        (name = "voices", description = "Voices, cloning, characters and text-to-speech"),
        (name = "ai", description = "The AI writer"),
        (name = "exports", description = "Video exports and downloads"),
        (name = "renders", description = "Template renders with per-viewer variables"),
        (name = "webhooks", description = "Signed event delivery"),
        (name = "search", description = "Full-text search")
    )
)]
struct ApiDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    let mut api = ApiDoc::openapi();
    api.info.version = env!("CARGO_PKG_VERSION").to_string();
    let components = api.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    components.add_security_scheme("api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))));
    api
}

/// Public operations: everything else requires a key.
const PUBLIC: &[&str] = &["/v1/pricing", "/v1/health", "/v1/files/{id}"];

/// Adds security requirements and the shared error responses to every operation.
pub fn finish(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = serde_json::to_value(&api).expect("OpenAPI serializes");
    let error = json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } });
    let retry = json!({ "Retry-After": { "description": "Seconds to wait (integer, at least 1)", "schema": { "type": "integer", "minimum": 1 } } });
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let public = PUBLIC.contains(&path.as_str());
            for (method, op) in item.as_object_mut().into_iter().flatten() {
                let Some(op) = op.as_object_mut() else { continue };
                if public {
                    op.insert("security".into(), json!([]));
                } else {
                    op.insert("security".into(), json!([{ "bearer": [] }, { "api_key": [] }]));
                }
                let responses = op.entry("responses").or_insert_with(|| json!({}));
                let Some(responses) = responses.as_object_mut() else { continue };
                let mut codes = vec!["400", "404", "422", "500"];
                if !public {
                    codes.extend(["401", "429"]);
                }
                if method == "post" || method == "put" {
                    codes.extend(["402", "409", "413", "415", "502", "503"]);
                }
                if method == "delete" {
                    codes.push("409");
                }
                if path == "/v1/files/{id}" {
                    codes.push("403");
                }
                for code in codes {
                    let mut resp = error.clone();
                    if code == "429" || code == "503" {
                        resp["headers"] = retry.clone();
                    }
                    responses.entry(code).or_insert(resp);
                }
            }
        }
    }
    serde_json::from_value(doc).expect("the document stays valid OpenAPI")
}
