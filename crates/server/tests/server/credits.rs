//! Credits: prices, estimates, the ledger, concurrency and idempotency.

use serde_json::{Value, json};

use crate::{TestServer, error_code};

#[tokio::test]
async fn pricing_and_estimates() {
    let t = TestServer::start().await;
    let key = t.account(3);
    let p: Value = t.client.get(t.url("/v1/pricing")).send().await.unwrap().json().await.unwrap();
    let ops: Vec<&str> = p["prices"].as_array().unwrap().iter().map(|r| r["operation"].as_str().unwrap()).collect();
    assert_eq!(ops, ["tts", "export", "render", "voice_clone", "ai_generate"]);

    let e: Value = t
        .post(&key, "/v1/estimate", json!({ "operation": "tts", "text": "a".repeat(250) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(e["credits"], 3);
    assert_eq!(e["sufficient"], true);
    let e: Value =
        t.post(&key, "/v1/estimate", json!({ "operation": "voice_clone" })).send().await.unwrap().json().await.unwrap();
    assert_eq!((e["credits"].as_i64(), e["sufficient"].as_bool()), (Some(100), Some(false)));
    let conv = t.conversation(&key).await;
    let e: Value = t
        .post(&key, "/v1/estimate", json!({ "operation": "export", "conversation_id": conv }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secs = e["output_seconds"].as_f64().unwrap();
    assert!(secs > 3.0 && e["credits"].as_i64().unwrap() == secs.ceil() as i64, "{e}");
    error_code(t.post(&key, "/v1/estimate", json!({ "operation": "teleport" })).send().await.unwrap(), 422).await;
    error_code(t.post(&key, "/v1/estimate", json!({ "operation": "tts" })).send().await.unwrap(), 422).await;
    error_code(
        t.post(&key, "/v1/estimate", json!({ "operation": "export", "conversation_id": "conv_x" }))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert_eq!(t.balance(&key).await, 3, "estimates spend nothing");
    t.server.stop().await;
}

#[tokio::test]
async fn hundred_concurrent_charges_on_fifty_credits() {
    let t = TestServer::start().await;
    let key = t.account(50);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let req = t.post(&key, "/v1/credits/charges", json!({ "amount": 1, "description": format!("unit {i}") }));
        tasks.push(tokio::spawn(async move { req.send().await.unwrap().status().as_u16() }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            201 => ok += 1,
            402 => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((ok, refused), (50, 50));
    assert_eq!(t.balance(&key).await, 0);
    let v: Value = t.get(&key, "/v1/credits?limit=100").send().await.unwrap().json().await.unwrap();
    let txs = v["transactions"].as_array().unwrap();
    assert_eq!(v["total"], 51);
    let sum: i64 = txs.iter().map(|t| t["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, 0, "purchase of 50 minus fifty charges of 1");
    assert_eq!(txs.iter().filter(|t| t["type"] == "charge").count(), 50);
    // Every entry's running balance is consistent and never negative.
    assert!(txs.iter().all(|t| t["balance_after"].as_i64().unwrap() >= 0));
    let (code, v) = error_code(
        t.post(&key, "/v1/credits/charges", json!({ "amount": 1, "description": "x" })).send().await.unwrap(),
        402,
    )
    .await;
    assert_eq!(code, "INSUFFICIENT_CREDITS");
    assert_eq!(v["error"]["details"]["balance"], 0);
    error_code(
        t.post(&key, "/v1/credits/charges", json!({ "amount": 0, "description": "x" })).send().await.unwrap(),
        422,
    )
    .await;
    // Pagination of the ledger.
    let v: Value = t.get(&key, "/v1/credits?limit=10&offset=45").send().await.unwrap().json().await.unwrap();
    assert_eq!(v["transactions"].as_array().unwrap().len(), 6);
    t.server.stop().await;
}

#[tokio::test]
async fn idempotency_key_replays_and_rejects_a_different_body() {
    let t = TestServer::start().await;
    let key = t.account(10);
    let send = |body: Value, k: &str| t.post(&key, "/v1/credits/charges", body).header("Idempotency-Key", k).send();
    let first = send(json!({ "amount": 2, "description": "once" }), "k1").await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(json!({ "amount": 2, "description": "once" }), "k1").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(t.balance(&key).await, 8);
    let (code, _) = error_code(send(json!({ "amount": 3, "description": "once" }), "k1").await.unwrap(), 422).await;
    assert_eq!(code, "IDEMPOTENCY_KEY_REUSED");
    // Keys are per account: another account may use the same key.
    let other = t.account(5);
    let r = t
        .post(&other, "/v1/credits/charges", json!({ "amount": 2, "description": "once" }))
        .header("Idempotency-Key", "k1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // An error response is replayed too (the request was handled).
    let r = send(json!({ "amount": 100, "description": "too much" }), "k2").await.unwrap();
    assert_eq!(r.status(), 402);
    let r = send(json!({ "amount": 100, "description": "too much" }), "k2").await.unwrap();
    assert_eq!(r.status(), 402);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    error_code(send(json!({ "amount": 1, "description": "x" }), &"k".repeat(300)).await.unwrap(), 422).await;
    t.server.stop().await;
}

#[tokio::test]
async fn twenty_concurrent_requests_with_one_key_make_one_job_and_one_charge() {
    let t = TestServer::start().await;
    let key = t.account(1000);
    let conv = t.conversation(&key).await;
    let before = t.balance(&key).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let req = t
            .post(&key, "/v1/exports", json!({ "conversation_id": conv, "format": "mp4" }))
            .header("Idempotency-Key", "export-once");
        tasks.push(tokio::spawn(async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut ids = std::collections::HashSet::new();
    let mut credits = 0;
    for task in tasks {
        let (status, v) = task.await.unwrap();
        assert_eq!(status, 201, "{v}");
        ids.insert(v["id"].as_str().unwrap().to_string());
        credits = v["credits"].as_i64().unwrap();
    }
    assert_eq!(ids.len(), 1, "one job");
    let list: Value = t.get(&key, "/v1/exports").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    let ledger: Value = t.get(&key, "/v1/credits?limit=100").send().await.unwrap().json().await.unwrap();
    let charges = ledger["transactions"].as_array().unwrap().iter().filter(|t| t["type"] == "charge").count();
    assert_eq!(charges, 1, "one charge");
    // This server has no render engine, so the job fails and is refunded exactly once.
    let id = ids.into_iter().next().unwrap();
    let job = crate::jobs::wait_job(&t, &key, "exports", &id).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(t.balance(&key).await, before);
    let ledger: Value = t.get(&key, "/v1/credits?limit=100").send().await.unwrap().json().await.unwrap();
    let refunds: Vec<&Value> =
        ledger["transactions"].as_array().unwrap().iter().filter(|t| t["type"] == "refund").collect();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["amount"].as_i64().unwrap(), credits);
    t.server.stop().await;
}
