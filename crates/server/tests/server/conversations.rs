//! Conversation sync (revisions, If-Match, conflicts), listing, deletion and search.

use serde_json::{Value, json};

use crate::{TestServer, error_code, sample_project};

#[tokio::test]
async fn sync_with_revisions_and_conflicts() {
    let t = TestServer::start().await;
    let key = t.account(0);
    let r = t.post(&key, "/v1/conversations", json!({ "project": sample_project("Snow day") })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let c: Value = r.json().await.unwrap();
    let id = c["id"].as_str().unwrap();
    assert_eq!((c["revision"].as_i64(), c["name"].as_str()), (Some(1), Some("Snow day")));

    let mut edited = c["project"].clone();
    edited["messages"][1]["text"] = json!("Edited on the laptop");
    let path = format!("/v1/conversations/{id}");
    let r = t.put(&key, &path, json!({ "project": edited })).header("If-Match", "\"1\"").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["revision"], 2);

    // A second device still at revision 1: 409 with the server's copy.
    let mut stale = c["project"].clone();
    stale["messages"][1]["text"] = json!("Edited on the phone");
    let r = t.put(&key, &path, json!({ "project": stale })).header("If-Match", "\"1\"").send().await.unwrap();
    let (code, v) = error_code(r, 409).await;
    assert_eq!(code, "REVISION_CONFLICT");
    assert_eq!(v["error"]["details"]["server_copy"]["revision"], 2);
    assert_eq!(v["error"]["details"]["server_copy"]["project"]["messages"][1]["text"], "Edited on the laptop");
    // No If-Match is never a blind overwrite.
    error_code(t.put(&key, &path, json!({ "project": stale })).send().await.unwrap(), 409).await;
    error_code(t.put(&key, &path, json!({ "project": stale })).header("If-Match", "banana").send().await.unwrap(), 422)
        .await;

    let got: Value = t.get(&key, &path).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["project"]["messages"][1]["text"], "Edited on the laptop");

    // Invalid projects are refused with the JSON path of the problem.
    let mut bad = c["project"].clone();
    bad["messages"][2]["sender"] = json!("nobody");
    let (code, v) =
        error_code(t.put(&key, &path, json!({ "project": bad })).header("If-Match", "2").send().await.unwrap(), 422)
            .await;
    assert_eq!(code, "INVALID_PROJECT");
    assert!(v["error"]["details"]["problems"][0]["path"].as_str().unwrap().contains("messages[2]"), "{v}");
    error_code(
        t.post(
            &key,
            "/v1/conversations",
            json!({ "project": { "schemaVersion": 99, "participants": [], "messages": [] } }),
        )
        .send()
        .await
        .unwrap(),
        422,
    )
    .await;

    // Delete with a stale revision is a conflict; then delete for real.
    error_code(t.delete(&key, &path).header("If-Match", "1").send().await.unwrap(), 409).await;
    assert_eq!(t.delete(&key, &path).send().await.unwrap().status(), 204);
    error_code(t.get(&key, &path).send().await.unwrap(), 404).await;
    error_code(t.delete(&key, &path).send().await.unwrap(), 404).await;
    t.server.stop().await;
}

#[tokio::test]
async fn list_with_limit_offset_and_search() {
    let t = TestServer::start().await;
    let key = t.account(0);
    for i in 0..5 {
        let mut p = sample_project(&format!("Story {i}"));
        p["messages"][1]["text"] = json!(format!("pineapple number {i}"));
        t.post(&key, "/v1/conversations", json!({ "project": p })).send().await.unwrap();
    }
    let v: Value = t.get(&key, "/v1/conversations?limit=2&offset=1").send().await.unwrap().json().await.unwrap();
    assert_eq!((v["total"].as_i64(), v["limit"].as_i64(), v["offset"].as_i64()), (Some(5), Some(2), Some(1)));
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert!(v["data"][0].get("project").is_none(), "lists carry summaries");

    let s: Value = t.get(&key, "/v1/search?q=pineap&limit=2&page=2").send().await.unwrap().json().await.unwrap();
    assert_eq!(s["pagination"]["total"], 5);
    assert_eq!(s["pagination"]["has_more"], true);
    assert_eq!(s["data"].as_array().unwrap().len(), 2);
    assert!(s["data"][0]["snippet"].as_str().unwrap().contains("[pineapple]"));
    let s: Value = t.get(&key, "/v1/search?q=%22Story%203%22").send().await.unwrap().json().await.unwrap();
    assert_eq!(s["data"][0]["title"], "Story 3");
    // FTS syntax in the query is just text.
    let r = t.get(&key, "/v1/search?q=NEAR(%22a%22%20OR").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = t.get(&key, "/v1/search?q=pineapple&kind=export").send().await.unwrap().json().await.unwrap();
    assert_eq!(s["pagination"]["total"], 0);
    // Another account sees none of it.
    let other = t.account(0);
    let s: Value = t.get(&other, "/v1/search?q=pineapple").send().await.unwrap().json().await.unwrap();
    assert_eq!(s["pagination"]["total"], 0);
    error_code(t.get(&key, "/v1/search?q=a").send().await.unwrap(), 422).await;
    error_code(t.get(&key, "/v1/search?q=abc&kind=video").send().await.unwrap(), 422).await;
    t.server.stop().await;
}
