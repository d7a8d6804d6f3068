//! Account A probes every object id of account B: every answer is 404 and nothing of B changes.

use serde_json::{Value, json};

use crate::{TestServer, error_code};

#[tokio::test]
async fn another_accounts_objects_are_404_and_untouched() {
    let t = TestServer::start().await;
    let a = t.account(1000);
    let b = t.account(1000);

    // B's objects: a conversation, an export, a render, a character, a webhook endpoint, a key.
    let conv = t.conversation(&b).await;
    let exp: Value =
        t.post(&b, "/v1/exports", json!({ "conversation_id": conv })).send().await.unwrap().json().await.unwrap();
    let rnd: Value = t
        .post(&b, "/v1/renders", json!({ "conversation_id": conv, "client_request_id": "b-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ch: Value = t
        .post(&b, "/v1/characters", json!({ "name": "Sam", "voice_id": "voice_ava" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // A public IP literal (no DNS here); subscribed to an event this test never fires, so nothing is sent.
    let wh: Value = t
        .post(&b, "/v1/webhooks", json!({ "url": "https://93.184.216.34/hook", "events": ["voice.ready"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let form = crate::voices::form(crate::voices::speechlike_wav(150.0, 6.0), "B's voice");
    let voice: Value = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&b)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let voice = voice["voice_id"].as_str().unwrap().to_string();
    let keys: Value = t.get(&b, "/v1/keys").send().await.unwrap().json().await.unwrap();
    let (exp, rnd) = (exp["id"].as_str().unwrap(), rnd["id"].as_str().unwrap());
    let (ch, wh) = (ch["character_id"].as_str().unwrap(), wh["id"].as_str().unwrap());
    let key_id = keys["data"][0]["id"].as_str().unwrap();
    let b_conv_before: Value =
        t.get(&b, &format!("/v1/conversations/{conv}")).send().await.unwrap().json().await.unwrap();
    let b_balance = t.balance(&b).await;

    let project = json!({ "project": crate::sample_project("hijack") });
    let probes: Vec<reqwest::RequestBuilder> = vec![
        t.get(&a, &format!("/v1/conversations/{conv}")),
        t.put(&a, &format!("/v1/conversations/{conv}"), project.clone()).header("If-Match", "1"),
        t.put(&a, &format!("/v1/conversations/{conv}"), project).header("If-Match", "*"),
        t.delete(&a, &format!("/v1/conversations/{conv}")),
        t.get(&a, &format!("/v1/exports/{exp}")),
        t.get(&a, &format!("/v1/renders/{rnd}")),
        t.get(&a, &format!("/v1/exports/{rnd}")),
        t.get(&a, &format!("/v1/characters/{ch}")),
        t.delete(&a, &format!("/v1/characters/{ch}")),
        t.get(&a, &format!("/v1/webhooks/{wh}")),
        t.get(&a, &format!("/v1/webhooks/{wh}/deliveries")),
        t.post(&a, &format!("/v1/webhooks/{wh}/test"), json!({})),
        t.delete(&a, &format!("/v1/webhooks/{wh}")),
        t.delete(&a, &format!("/v1/keys/{key_id}")),
        t.post(&a, "/v1/estimate", json!({ "operation": "export", "conversation_id": conv })),
        t.post(&a, "/v1/tts", json!({ "character_id": ch, "text": "hello" })),
        t.post(&a, "/v1/tts", json!({ "voice_id": voice, "text": "hello" })),
        t.get(&a, &format!("/v1/voices/{voice}")),
        t.delete(&a, &format!("/v1/voices/{voice}")),
    ];
    for probe in probes {
        let r = probe.send().await.unwrap();
        let url = r.url().to_string();
        assert_eq!(r.status(), 404, "{url}");
        error_code(r, 404).await;
    }
    // Starting jobs on B's conversation: refused as an unknown conversation, nothing charged.
    for path in ["/v1/exports", "/v1/renders"] {
        let r = t.post(&a, path, json!({ "conversation_id": conv })).send().await.unwrap();
        assert!(matches!(r.status().as_u16(), 404 | 422), "{path}: {}", r.status());
    }
    // B's client request id does not leak B's render to A.
    let r: Value = t
        .post(&a, "/v1/renders", json!({ "conversation_id": "conv_none", "client_request_id": "b-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r["error"].is_object(), "{r}");
    // B's voice cannot be used for A's character either.
    let r = t.post(&a, "/v1/characters", json!({ "name": "Thief", "voice_id": voice })).send().await.unwrap();
    error_code(r, 422).await;
    let voices: Value = t.get(&a, "/v1/voices").send().await.unwrap().json().await.unwrap();
    assert!(!voices.to_string().contains(&voice));
    // A's lists and searches show none of B's objects.
    for path in ["/v1/conversations", "/v1/exports", "/v1/renders", "/v1/characters", "/v1/webhooks"] {
        let v: Value = t.get(&a, path).send().await.unwrap().json().await.unwrap();
        assert!(!v.to_string().contains(&conv), "{path} leaks B");
    }
    assert_eq!(t.balance(&a).await, 1000);
    let after: Value = t.get(&b, &format!("/v1/conversations/{conv}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(after, b_conv_before);
    assert_eq!(t.get(&b, &format!("/v1/characters/{ch}")).send().await.unwrap().status(), 200);
    assert_eq!(t.get(&b, &format!("/v1/webhooks/{wh}")).send().await.unwrap().status(), 200);
    assert_eq!(t.get(&b, &format!("/v1/voices/{voice}")).send().await.unwrap().status(), 200);
    assert_eq!(t.get(&b, "/v1/keys").send().await.unwrap().json::<Value>().await.unwrap(), keys);
    // B's jobs may have failed and been refunded meanwhile (no render engine here), never charged twice.
    assert!(t.balance(&b).await >= b_balance);
    t.server.stop().await;
}
