//! The AI writer. The OpenAI-compatible endpoint is a third party we cannot reach from tests, so
//! a FAKE chat-completions server on loopback stands in for it (a test double answering the
//! same wire format, in JSON and in SSE streaming mode).

use std::time::Duration;

use axum::Json;
use axum::response::IntoResponse;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::{Options, TestServer, error_code};

const LINES: &[&str] = &[
    r#"{"sender": "Me", "text": "Did you see the snow?"}"#,
    r#"{"sender": "Alex", "text": "Yes!! First of the year"}"#,
    r#"{"sender": "Me", "text": "Snowball fight at 5?"}"#,
];

/// Fake OpenAI-compatible server; `/broken/v1` answers 500.
async fn fake_openai() -> String {
    async fn completions(Json(req): Json<Value>) -> axum::response::Response {
        assert_eq!(req["model"], "test-model");
        assert!(req["messages"][0]["content"].as_str().unwrap().contains("JSON Lines"));
        let text = format!("```\n{}\n```", LINES.join("\n"));
        if req["stream"] == true {
            // Split mid-line so the server must reassemble messages across chunks.
            let mut body = String::new();
            for piece in text.as_bytes().chunks(7) {
                let piece = String::from_utf8_lossy(piece);
                body.push_str(&format!("data: {}\n\n", json!({ "choices": [{ "delta": { "content": piece } }] })));
            }
            body.push_str("data: [DONE]\n\n");
            ([("content-type", "text/event-stream")], body).into_response()
        } else {
            Json(json!({ "choices": [{ "message": { "role": "assistant", "content": text } }] })).into_response()
        }
    }
    let app = axum::Router::new().route("/ok/v1/chat/completions", axum::routing::post(completions)).route(
        "/broken/v1/chat/completions",
        axum::routing::post(|| async { axum::http::StatusCode::INTERNAL_SERVER_ERROR }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

#[tokio::test]
async fn unconfigured_ai_is_503_with_how_to() {
    let t = TestServer::start().await;
    let key = t.account(10);
    let r = t.post(&key, "/v1/ai/generate", json!({ "prompt": "two friends and snow" })).send().await.unwrap();
    assert!(r.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let (code, v) = error_code(r, 503).await;
    assert_eq!(code, "AI_UNAVAILABLE");
    assert!(v["error"]["message"].as_str().unwrap().contains("base_url"));
    assert_eq!(t.balance(&key).await, 10);
    t.server.stop().await;
}

#[tokio::test]
async fn generates_json_and_streams_sse_through_an_openai_compatible_endpoint() {
    let base = fake_openai().await;
    let t = TestServer::with(Options { ai_base_url: Some(format!("{base}/ok/v1")), ..Options::default() }).await;
    let key = t.account(20);
    let brief = json!({ "prompt": "two friends and snow", "participants": ["Me", "Alex"], "style": "funny", "length": "short" });

    let r = t.post(&key, "/v1/ai/generate", brief.clone()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["messages"].as_array().unwrap().len(), 3);
    assert_eq!(v["messages"][1]["sender"], "Alex");
    assert_eq!(v["credits_used"], 5);
    assert_eq!(v["project"]["participants"][0]["side"], "me");
    // The result is stored as a conversation in our project format.
    let conv: Value = t
        .get(&key, &format!("/v1/conversations/{}", v["conversation_id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(conv["project"]["messages"][2]["text"], "Snowball fight at 5?");

    let r = t.post(&key, "/v1/ai/generate", brief.clone()).header("accept", "text/event-stream").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = String::new();
    let mut stream = r.bytes_stream();
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    let events: Vec<(&str, Value)> = body
        .split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let name = e.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("");
            let data = e.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("null");
            (name, serde_json::from_str(data).unwrap())
        })
        .collect();
    assert_eq!(events.iter().filter(|(n, _)| *n == "message").count(), 3, "{body}");
    assert_eq!(events[0].1["text"], "Did you see the snow?");
    let (last, done) = events.last().unwrap();
    assert_eq!(*last, "done");
    assert!(done["conversation_id"].as_str().unwrap().starts_with("conv_"));
    assert_eq!(t.balance(&key).await, 10);

    error_code(t.post(&key, "/v1/ai/generate", json!({ "prompt": "hi" })).send().await.unwrap(), 422).await;
    error_code(
        t.post(&key, "/v1/ai/generate", json!({ "prompt": "long enough", "participants": ["Solo"] }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    error_code(
        t.post(&key, "/v1/ai/generate", json!({ "prompt": "long enough", "length": "epic" })).send().await.unwrap(),
        422,
    )
    .await;
    t.server.stop().await;
}

#[tokio::test]
async fn upstream_failure_is_502_and_refunded() {
    let base = fake_openai().await;
    let t = TestServer::with(Options { ai_base_url: Some(format!("{base}/broken/v1")), ..Options::default() }).await;
    let key = t.account(5);
    let r = t.post(&key, "/v1/ai/generate", json!({ "prompt": "two friends and snow" })).send().await.unwrap();
    assert_eq!(error_code(r, 502).await.0, "AI_UPSTREAM_ERROR");
    let r = t
        .post(&key, "/v1/ai/generate", json!({ "prompt": "two friends and snow" }))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    error_code(r, 502).await;
    assert_eq!(t.balance(&key).await, 5);
    let v: Value = t.get(&key, "/v1/credits").send().await.unwrap().json().await.unwrap();
    assert_eq!(v["transactions"].as_array().unwrap().iter().filter(|t| t["type"] == "refund").count(), 2);
    t.server.stop().await;
}
