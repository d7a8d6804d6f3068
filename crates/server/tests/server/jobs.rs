//! Exports and template renders as jobs: status with progress, lists, signed downloads, refunds
//! of failed jobs, client request ids and callbacks.
//!
//! `FfmpegTestPattern` below is a TEST DOUBLE of the render engine: it writes a real, tiny MP4
//! (ffmpeg's test pattern, the project's length) so the job machinery — queue, progress,
//! storage, signed links, webhooks — can be tested without the video renderer. The server itself
//! never ships it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chatframe_server::jobs::{RenderEngine, RenderError, RenderJob};
use serde_json::{Value, json};

use crate::webhooks::{Receiver, verify};
use crate::{Options, TestServer, error_code};

struct FfmpegTestPattern;

impl RenderEngine for FfmpegTestPattern {
    fn name(&self) -> &str {
        "test pattern (test double)"
    }

    fn render(
        &self,
        job: &RenderJob<'_>,
        out: &Path,
        progress: &mut dyn FnMut(f64),
        _: &AtomicBool,
    ) -> Result<(), RenderError> {
        progress(0.5);
        let secs = chatframe_model::Timeline::build(job.project).duration as f64 / 1e6;
        let status = std::process::Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                &format!("testsrc=size=180x320:rate=10:duration={secs:.2}"),
            ])
            .args(["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4"])
            .arg(out)
            .status()
            .map_err(|e| RenderError::Failed(e.to_string()))?;
        if status.success() { Ok(()) } else { Err(RenderError::Failed("ffmpeg failed".into())) }
    }
}

/// A slow render (test double) that stops when cancelled.
struct Slow;

impl RenderEngine for Slow {
    fn name(&self) -> &str {
        "slow (test double)"
    }

    fn render(
        &self,
        _: &RenderJob<'_>,
        _: &Path,
        progress: &mut dyn FnMut(f64),
        cancel: &AtomicBool,
    ) -> Result<(), RenderError> {
        for i in 0..100 {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(RenderError::Failed("cancelled".into()));
            }
            progress(f64::from(i) / 100.0);
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(RenderError::Failed("the test should have cancelled me".into()))
    }
}

struct Broken;

impl RenderEngine for Broken {
    fn name(&self) -> &str {
        "always fails (test double)"
    }

    fn render(&self, _: &RenderJob<'_>, _: &Path, _: &mut dyn FnMut(f64), _: &AtomicBool) -> Result<(), RenderError> {
        Err(RenderError::Failed("disk on fire".into()))
    }
}

pub async fn wait_job(t: &TestServer, key: &str, kind: &str, id: &str) -> Value {
    for _ in 0..300 {
        let v: Value = t.get(key, &format!("/v1/{kind}/{id}")).send().await.unwrap().json().await.unwrap();
        if v["status"] == "done" || v["status"] == "failed" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {id} did not finish");
}

fn ffprobe_duration(path: &Path) -> f64 {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0.0)
}

#[tokio::test]
async fn export_job_end_to_end_with_signed_download() {
    let t = TestServer::with(Options {
        render: Some(Arc::new(FfmpegTestPattern)),
        allow_private_targets: true,
        ..Options::default()
    })
    .await;
    let key = t.account(1000);
    let rx = Receiver::start(0).await;
    let ep: Value = t
        .post(&key, "/v1/webhooks", json!({ "url": rx.url, "events": ["export.completed"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conv = t.conversation(&key).await;
    let r = t
        .post(
            &key,
            "/v1/exports",
            json!({ "conversation_id": conv, "format": "mp4", "resolution": "720p", "watermark": false }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert!(matches!(created["status"].as_str(), Some("queued" | "processing")));
    assert!(created["output_url"].is_null());
    let charged = created["credits"].as_i64().unwrap();
    assert_eq!(t.balance(&key).await, 1000 - charged);

    let job = wait_job(&t, &key, "exports", created["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["progress"], 1.0);
    let url = job["output_url"].as_str().unwrap();
    // The signed link needs no API key.
    let r = t.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "video/mp4");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.mp4");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let secs = ffprobe_duration(&file);
    assert!((secs - job["duration_seconds"].as_f64().unwrap()).abs() < 0.5, "{secs}");
    // Tampered and expired links are refused.
    let tampered = url.replace("signature=", "signature=0");
    assert_eq!(error_code(t.client.get(tampered).send().await.unwrap(), 403).await.0, "INVALID_SIGNATURE");
    let id = job["id"].as_str().unwrap();
    let expired = t.url(&format!("/v1/files/{id}?expires=1&signature=00"));
    error_code(t.client.get(expired).send().await.unwrap(), 403).await;

    // The webhook arrived, signed.
    let got = rx.wait_for(1).await;
    assert!(verify(ep["secret"].as_str().unwrap(), &got[0].0, &got[0].1));
    let body: Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(body["type"], "export.completed");
    assert_eq!(body["data"]["id"], job["id"]);

    let (code, _) =
        error_code(t.post(&key, &format!("/v1/exports/{id}/cancel"), json!({})).send().await.unwrap(), 409).await;
    assert_eq!(code, "JOB_FINISHED");
    let list: Value = t.get(&key, "/v1/exports?limit=1&offset=0").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    let s: Value = t.get(&key, "/v1/search?q=snow&kind=export").send().await.unwrap().json().await.unwrap();
    assert_eq!(s["pagination"]["total"], 1, "{s}");
    error_code(
        t.post(&key, "/v1/exports", json!({ "conversation_id": conv, "format": "avi" })).send().await.unwrap(),
        422,
    )
    .await;
    error_code(t.post(&key, "/v1/exports", json!({ "conversation_id": "conv_nope" })).send().await.unwrap(), 422).await;
    error_code(t.get(&key, "/v1/exports/exp_nope").send().await.unwrap(), 404).await;
    t.server.stop().await;
}

#[tokio::test]
async fn failed_jobs_are_refunded_once_and_reported() {
    let t =
        TestServer::with(Options { render: Some(Arc::new(Broken)), allow_private_targets: true, ..Options::default() })
            .await;
    let key = t.account(500);
    let rx = Receiver::start(0).await;
    t.post(&key, "/v1/webhooks", json!({ "url": rx.url, "events": ["export.failed"] })).send().await.unwrap();
    let conv = t.conversation(&key).await;
    let created: Value =
        t.post(&key, "/v1/exports", json!({ "conversation_id": conv })).send().await.unwrap().json().await.unwrap();
    let job = wait_job(&t, &key, "exports", created["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "failed");
    assert!(job["error"].as_str().unwrap().contains("disk on fire"));
    assert!(job["output_url"].is_null());
    assert_eq!(t.balance(&key).await, 500);
    let got = rx.wait_for(1).await;
    assert_eq!(serde_json::from_str::<Value>(&got[0].1).unwrap()["type"], "export.failed");
    // Restarting workers or re-failing cannot refund again: the store refuses a second refund.
    let id = job["id"].as_str().unwrap().to_string();
    let state = t.server.state.clone();
    let again = tokio::task::spawn_blocking(move || state.store.fail_job(&id, "again")).await.unwrap().unwrap();
    assert_eq!(again.status.as_str(), "failed");
    assert_eq!(t.balance(&key).await, 500);
    t.server.stop().await;
}

#[tokio::test]
async fn jobs_can_be_cancelled_and_are_refunded() {
    let t = TestServer::with(Options { render: Some(Arc::new(Slow)), ..Options::default() }).await;
    let key = t.account(500);
    let conv = t.conversation(&key).await;
    // Two workers: the first two jobs run, the third waits in the queue.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let v: Value =
            t.post(&key, "/v1/exports", json!({ "conversation_id": conv })).send().await.unwrap().json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for id in &ids {
        let r = t.post(&key, &format!("/v1/exports/{id}/cancel"), json!({})).send().await.unwrap();
        assert!(matches!(r.status().as_u16(), 200 | 202), "{}", r.status());
    }
    for id in &ids {
        let job = wait_job(&t, &key, "exports", id).await;
        assert_eq!(job["status"], "failed");
        assert_eq!(job["error"], "cancelled by the client");
    }
    assert_eq!(t.balance(&key).await, 500, "every cancelled job refunded once");
    // Cancelling again is harmless: the job stays cancelled, nothing is refunded twice.
    let r = t.post(&key, &format!("/v1/exports/{}/cancel", ids[0]), json!({})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(t.balance(&key).await, 500);
    error_code(t.post(&key, "/v1/exports/exp_nope/cancel", json!({})).send().await.unwrap(), 404).await;
    error_code(t.post(&key, &format!("/v1/renders/{}/cancel", ids[0]), json!({})).send().await.unwrap(), 404).await;
    t.server.stop().await;
}

#[tokio::test]
async fn template_renders_fill_variables_and_call_back() {
    let t = TestServer::with(Options {
        render: Some(Arc::new(FfmpegTestPattern)),
        allow_private_targets: true,
        ..Options::default()
    })
    .await;
    let key = t.account(1000);
    let account: Value = t.get(&key, "/v1/account").send().await.unwrap().json().await.unwrap();
    let callback_secret = account["callback_signing_secret"].as_str().unwrap().to_string();
    let mut p = crate::sample_project("Hi {{name}}");
    p["messages"][1]["text"] = json!("Hey {{ name }}, your order {{order}} shipped!");
    let conv: Value =
        t.post(&key, "/v1/conversations", json!({ "project": p })).send().await.unwrap().json().await.unwrap();
    let conv = conv["id"].as_str().unwrap();
    let rx = Receiver::start(0).await;

    let body = json!({
        "conversation_id": conv,
        "variables": { "name": "Ada", "order": "#42" },
        "client_request_id": "viewer-ada",
        "callback_url": rx.url,
    });
    let r = t.post(&key, "/v1/renders", body.clone()).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    // The same client request id returns the first job, with no second charge.
    let balance = t.balance(&key).await;
    let r = t.post(&key, "/v1/renders", body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], first["id"]);
    assert_eq!(t.balance(&key).await, balance);

    let job = wait_job(&t, &key, "renders", first["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "done");
    assert_eq!(job["variables"]["name"], "Ada");
    let got = rx.wait_for(1).await;
    assert!(verify(&callback_secret, &got[0].0, &got[0].1), "callback signed with the account's callback secret");
    let cb: Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(cb["type"], "render.completed");
    assert_eq!(cb["data"]["client_request_id"], "viewer-ada");
    assert!(cb["data"]["output_url"].as_str().unwrap().contains("/v1/files/"));

    // The frozen project of the job has the values filled in.
    let id = job["id"].as_str().unwrap().to_string();
    let state = t.server.state.clone();
    let stored = tokio::task::spawn_blocking(move || state.store.job_any(&id)).await.unwrap().unwrap();
    assert_eq!(stored.project["messages"][1]["text"], "Hey Ada, your order #42 shipped!");
    assert_eq!(stored.project["name"], "Hi Ada");

    let (code, v) = error_code(
        t.post(&key, "/v1/renders", json!({ "conversation_id": conv, "variables": { "name": "Bo" } }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(code, "MISSING_VARIABLES");
    assert_eq!(v["error"]["details"]["missing"], json!(["order"]));
    error_code(
        t.post(&key, "/v1/renders", json!({ "conversation_id": conv, "variables": { "bad name": "x" } }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    let list: Value = t.get(&key, "/v1/renders").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    t.server.stop().await;
}

/// The real engine (chatframe-render + chatframe-export through ffmpeg), end to end: create →
/// done → download → ffprobe. A one-message project at 720p keeps it quick.
#[tokio::test]
async fn real_export_engine_end_to_end() {
    let engine = chatframe_server::Engines::default_for(&chatframe_server::Config::default()).render;
    assert_eq!(engine.name(), "chatframe-export");
    let t = TestServer::with(Options { render: Some(engine), ..Options::default() }).await;
    let key = t.account(1000);
    let mut p = crate::sample_project("One line");
    p["messages"] = json!([{ "kind": "text", "sender": "sam", "text": "Look outside." }]);
    let conv: Value =
        t.post(&key, "/v1/conversations", json!({ "project": p })).send().await.unwrap().json().await.unwrap();
    let r = t
        .post(&key, "/v1/exports", json!({ "conversation_id": conv["id"], "format": "mp4", "resolution": "720p" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let job = wait_job(&t, &key, "exports", created["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "done", "{job}");
    let bytes = t.client.get(job["output_url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("real.mp4");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "csv=p=0",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "h264,720,1280");
    let audio = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&audio.stdout).trim(), "aac", "the message sounds are mixed in");
    let secs = ffprobe_duration(&file);
    assert!((secs - job["duration_seconds"].as_f64().unwrap()).abs() < 0.2, "{secs} vs {job}");
    t.server.stop().await;
}

/// `watermark: true` draws the mark: the last frame differs from the unmarked export's only in
/// the corner where it sits.
#[tokio::test]
async fn watermark_is_drawn() {
    let engine = chatframe_server::Engines::default_for(&chatframe_server::Config::default()).render;
    let t = TestServer::with(Options { render: Some(engine), ..Options::default() }).await;
    let key = t.account(1000);
    let mut p = crate::sample_project("Mark");
    p["messages"] = json!([{ "kind": "text", "sender": "sam", "text": "Hi" }]);
    let conv: Value =
        t.post(&key, "/v1/conversations", json!({ "project": p })).send().await.unwrap().json().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut frames = Vec::new();
    for mark in [false, true] {
        let body = json!({ "conversation_id": conv["id"], "resolution": "720p", "watermark": mark });
        let created: Value = t.post(&key, "/v1/exports", body).send().await.unwrap().json().await.unwrap();
        let job = wait_job(&t, &key, "exports", created["id"].as_str().unwrap()).await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["watermark"], mark);
        let video = dir.path().join(format!("{mark}.mp4"));
        std::fs::write(
            &video,
            t.client.get(job["output_url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap(),
        )
        .unwrap();
        // The last frame as raw grey pixels, 72x128.
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-sseof", "-0.2", "-i"])
            .arg(&video)
            .args(["-frames:v", "1", "-vf", "scale=72:128", "-pix_fmt", "gray", "-f", "rawvideo", "-"])
            .output()
            .unwrap();
        assert_eq!(out.stdout.len(), 72 * 128);
        frames.push(out.stdout);
    }
    let diff = |rows: std::ops::Range<usize>, cols: std::ops::Range<usize>| -> u64 {
        rows.flat_map(|y| cols.clone().map(move |x| y * 72 + x))
            .map(|i| u64::from(frames[0][i].abs_diff(frames[1][i])))
            .sum()
    };
    assert!(diff(120..128, 36..72) > 200, "the mark is drawn bottom-right");
    assert!(diff(0..100, 0..72) < diff(120..128, 36..72) / 4, "and nowhere else");
    t.server.stop().await;
}
