//! Authentication, the error format, request rules (body limits, unknown fields), rate limits
//! and API keys.

use serde_json::{Value, json};

use crate::{TestServer, error_code};

#[tokio::test]
async fn keys_authenticate_by_bearer_or_x_api_key_and_bad_keys_are_401() {
    let t = TestServer::start().await;
    let key = t.account(10);
    assert_eq!(t.get(&key, "/v1/account").send().await.unwrap().status(), 200);
    let r = t.client.get(t.url("/v1/account")).header("x-api-key", &key).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["credits_remaining"], 10);
    assert!(v["callback_signing_secret"].as_str().unwrap().starts_with("whsec_"));

    let (code, _) = error_code(t.client.get(t.url("/v1/account")).send().await.unwrap(), 401).await;
    assert_eq!(code, "UNAUTHORIZED");
    error_code(t.get("cf_live_nope", "/v1/account").send().await.unwrap(), 401).await;
    let r = t.client.get(t.url("/v1/account")).header("authorization", format!("Basic {key}")).send().await.unwrap();
    error_code(r, 401).await;
    // Unauthenticated requests learn nothing about routes.
    error_code(t.client.post(t.url("/v1/tts")).json(&json!({})).send().await.unwrap(), 401).await;
    // Public routes.
    assert_eq!(t.client.get(t.url("/v1/pricing")).send().await.unwrap().status(), 200);
    assert_eq!(t.client.get(t.url("/v1/health")).send().await.unwrap().status(), 200);
    let (code, _) = error_code(t.get(&key, "/v1/nothing-here").send().await.unwrap(), 404).await;
    assert_eq!(code, "NOT_FOUND");
    t.server.stop().await;
}

#[tokio::test]
async fn request_bodies_are_checked() {
    let t = TestServer::start().await;
    let key = t.account(10);
    // Unknown field: 422 naming it.
    let r = t
        .post(&key, "/v1/credits/charges", json!({ "amount": 1, "description": "x", "amout": 2 }))
        .send()
        .await
        .unwrap();
    let (code, v) = error_code(r, 422).await;
    assert_eq!(code, "VALIDATION_ERROR");
    assert!(v["error"]["message"].as_str().unwrap().contains("amout"), "{v}");
    // Wrong type: 422 with the path.
    let r = t.post(&key, "/v1/credits/charges", json!({ "amount": "one", "description": "x" })).send().await.unwrap();
    let (_, v) = error_code(r, 422).await;
    assert_eq!(v["error"]["details"]["path"], "amount");
    // Not JSON: 400; not declared as JSON: 415.
    let r = t
        .client
        .post(t.url("/v1/credits/charges"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 400).await.0, "INVALID_JSON");
    let r = t.client.post(t.url("/v1/credits/charges")).bearer_auth(&key).body("{}").send().await.unwrap();
    error_code(r, 415).await;
    // Over the JSON body limit: 413.
    let big = "x".repeat(3 * 1024 * 1024);
    let r = t.post(&key, "/v1/conversations", json!({ "project": { "name": big } })).send().await.unwrap();
    assert_eq!(error_code(r, 413).await.0, "PAYLOAD_TOO_LARGE");
    // Bad pagination.
    error_code(t.get(&key, "/v1/conversations?limit=0").send().await.unwrap(), 422).await;
    error_code(t.get(&key, "/v1/conversations?limit=abc").send().await.unwrap(), 422).await;
    error_code(t.get(&key, "/v1/conversations?bogus=1").send().await.unwrap(), 422).await;
    t.server.stop().await;
}

#[tokio::test]
async fn rate_limit_is_per_key_with_integer_retry_after() {
    let t = TestServer::start().await;
    let slow = t.account_with_rate(0, Some(5));
    let other = t.account_with_rate(0, Some(5));
    for left in (0..5).rev() {
        let r = t.get(&slow, "/v1/account").send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-ratelimit-limit"], "5");
        assert_eq!(r.headers()["x-ratelimit-remaining"], left.to_string().as_str());
    }
    let r = t.get(&slow, "/v1/account").send().await.unwrap();
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().expect("integer Retry-After");
    assert!(retry >= 1);
    let (code, v) = error_code(r, 429).await;
    assert_eq!(code, "RATE_LIMIT_EXCEEDED");
    assert_eq!(v["error"]["details"]["retry_after"], retry);
    // Another key is not affected.
    assert_eq!(t.get(&other, "/v1/account").send().await.unwrap().status(), 200);
    t.server.stop().await;
}

#[tokio::test]
async fn api_keys_are_shown_once_and_can_be_revoked() {
    let t = TestServer::start().await;
    let key = t.account(0);
    let r = t.post(&key, "/v1/keys", json!({ "name": "ci" })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let second = created["secret"].as_str().unwrap().to_string();
    assert!(second.starts_with(created["prefix"].as_str().unwrap()));
    assert_eq!(t.get(&second, "/v1/account").send().await.unwrap().status(), 200);
    let list: Value = t.get(&key, "/v1/keys").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains(&second), "listing never shows a key");
    let id = created["id"].as_str().unwrap();
    assert_eq!(t.delete(&key, &format!("/v1/keys/{id}")).send().await.unwrap().status(), 204);
    error_code(t.get(&second, "/v1/account").send().await.unwrap(), 401).await;
    // The last key cannot be revoked (the account would be locked out).
    let list: Value = t.get(&key, "/v1/keys").send().await.unwrap().json().await.unwrap();
    let last = list["data"][0]["id"].as_str().unwrap();
    error_code(t.delete(&key, &format!("/v1/keys/{last}")).send().await.unwrap(), 409).await;
    error_code(t.delete(&key, "/v1/keys/key_missing").send().await.unwrap(), 404).await;
    error_code(t.post(&key, "/v1/keys", json!({ "name": "" })).send().await.unwrap(), 422).await;
    t.server.stop().await;
}

#[tokio::test]
async fn openapi_document_is_served_as_generated() {
    let t = TestServer::start().await;
    let served: Value = t.client.get(t.url("/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(served["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/v1/tts", "/v1/exports", "/v1/renders", "/v1/ai/generate", "/v1/webhooks", "/v1/search"] {
        assert!(served["paths"][path].is_object(), "{path} documented");
    }
    // docs/openapi.json is checked against the same document by `make check-generated`.
    let generated: Value = serde_json::from_str(&chatframe_server::openapi_json().unwrap()).unwrap();
    assert_eq!(served, generated);
    t.server.stop().await;
}
