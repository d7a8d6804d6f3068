//! Integration tests of the Cloud API: each test starts the real server on a loopback port with
//! its own data directory and talks to it over HTTP.

mod ai;
mod auth;
mod conversations;
mod credits;
mod isolation;
mod jobs;
mod serve_cli;
mod voices;
mod webhooks;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chatframe_server::jobs::{RenderEngine, RenderError, RenderJob};
use chatframe_server::{Config, Engines, RunningServer};
use serde_json::{Value, json};

/// The engine of tests that render no video: every job fails as unavailable (and is refunded).
struct NoRenderEngine;

impl RenderEngine for NoRenderEngine {
    fn name(&self) -> &str {
        "none"
    }

    fn render(&self, _: &RenderJob<'_>, _: &Path, _: &mut dyn FnMut(f64), _: &AtomicBool) -> Result<(), RenderError> {
        Err(RenderError::Unavailable("the tests' server renders no videos".into()))
    }
}

pub struct TestServer {
    pub server: RunningServer,
    pub client: reqwest::Client,
    pub base: String,
    _dir: tempfile::TempDir,
}

pub struct Options {
    pub render: Option<Arc<dyn RenderEngine>>,
    pub ai_base_url: Option<String>,
    pub allow_private_targets: bool,
    pub rate_per_minute: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { render: None, ai_base_url: None, allow_private_targets: false, rate_per_minute: 100_000 }
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::with(Options::default()).await
    }

    pub async fn with(opts: Options) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config =
            Config { data_dir: dir.path().to_path_buf(), listen: "127.0.0.1:0".parse().unwrap(), ..Config::default() };
        config.rate_limit.per_minute = opts.rate_per_minute;
        config.rate_limit.burst = opts.rate_per_minute;
        config.webhooks.retry_backoff_secs = vec![1, 1, 1];
        config.webhooks.timeout_secs = 3;
        config.webhooks.dev_allow_private_targets = opts.allow_private_targets;
        config.ai.base_url = opts.ai_base_url;
        config.ai.model = Some("test-model".into());
        config.jobs.workers = 2;
        let mut engines = Engines::default_for(&config);
        // Tests that need videos choose their engine; the rest must not spend minutes rendering.
        engines.render = opts.render.unwrap_or_else(|| Arc::new(NoRenderEngine));
        let state = chatframe_server::build_state(config, engines).unwrap();
        let server = chatframe_server::start(state).await.unwrap();
        let base = server.url();
        TestServer { server, client: reqwest::Client::new(), base, _dir: dir }
    }

    /// A new account; returns its API key.
    pub fn account(&self, credits: i64) -> String {
        self.account_with_rate(credits, None)
    }

    pub fn account_with_rate(&self, credits: i64, rate: Option<u32>) -> String {
        chatframe_server::admin_create_account(&self.server.state.config, "test", credits, rate).unwrap().api_key
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, key: &str, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(key)
    }

    pub fn post(&self, key: &str, path: &str, body: Value) -> reqwest::RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(key).json(&body)
    }

    pub fn put(&self, key: &str, path: &str, body: Value) -> reqwest::RequestBuilder {
        self.client.put(self.url(path)).bearer_auth(key).json(&body)
    }

    pub fn delete(&self, key: &str, path: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path)).bearer_auth(key)
    }

    pub async fn balance(&self, key: &str) -> i64 {
        let v: Value = self.get(key, "/v1/account").send().await.unwrap().json().await.unwrap();
        v["credits_remaining"].as_i64().unwrap()
    }

    /// Stores the sample project; returns the conversation's id.
    pub async fn conversation(&self, key: &str) -> String {
        let r =
            self.post(key, "/v1/conversations", json!({ "project": sample_project("Snow day") })).send().await.unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    }
}

/// A short valid project.
pub fn sample_project(name: &str) -> Value {
    serde_json::to_value(chatframe_model::starter_project(name)).unwrap()
}

/// Asserts the one error format and returns the code.
pub async fn error_code(resp: reqwest::Response, status: u16) -> (String, Value) {
    assert_eq!(resp.status(), status, "unexpected status");
    let v: Value = resp.json().await.expect("error bodies are JSON");
    let e = &v["error"];
    assert!(e["code"].is_string() && e["message"].is_string() && e["details"].is_object(), "error format: {v}");
    (e["code"].as_str().unwrap().to_string(), v)
}
