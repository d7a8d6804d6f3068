//! Server configuration: embedded defaults, then an optional TOML file, then `CHATFRAME_*`
//! environment variables (later wins), so `chatframe serve` starts with no set-up at all.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub listen: SocketAddr,
    /// SQLite database, objects (audio, exports) and the URL-signing secret live here.
    pub data_dir: PathBuf,
    /// Public base URL used in download links; defaults to `http://<listen>`.
    pub public_url: Option<String>,
    pub pricing: Pricing,
    pub rate_limit: RateLimit,
    pub limits: Limits,
    pub ai: AiConfig,
    pub tts: TtsConfig,
    pub jobs: JobsConfig,
    pub webhooks: WebhookConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8787".parse().expect("valid default address"),
            data_dir: PathBuf::from("chatframe-data"),
            public_url: None,
            pricing: Pricing::default(),
            rate_limit: RateLimit::default(),
            limits: Limits::default(),
            ai: AiConfig::default(),
            tts: TtsConfig::default(),
            jobs: JobsConfig::default(),
            webhooks: WebhookConfig::default(),
        }
    }
}

/// Credits per unit; 1 credit is the smallest amount an account can hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pricing {
    pub tts_per_100_chars: i64,
    pub export_per_second: i64,
    pub render_per_second: i64,
    pub voice_clone: i64,
    pub ai_generate: i64,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing { tts_per_100_chars: 1, export_per_second: 1, render_per_second: 1, voice_clone: 100, ai_generate: 5 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per minute per API key (accounts may carry their own tier).
    pub per_minute: u32,
    /// Requests a key may send at once before the sustained rate applies.
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { per_minute: 600, burst: 120 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// JSON bodies; a large project is a few hundred KB.
    pub json_body_bytes: usize,
    /// The voice-sample upload route alone accepts this much.
    pub upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { json_body_bytes: 2 * 1024 * 1024, upload_bytes: 10 * 1024 * 1024 }
    }
}

/// Any OpenAI-compatible chat-completions endpoint. Unset = the AI writer answers `AI_UNAVAILABLE`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiConfig {
    /// Base URL up to `/v1`, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub model: Option<String>,
    pub timeout_secs: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TtsConfig {
    pub espeak_bin: String,
    pub ffmpeg_bin: String,
}

impl Default for TtsConfig {
    fn default() -> Self {
        TtsConfig { espeak_bin: "espeak-ng".into(), ffmpeg_bin: "ffmpeg".into() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    /// Render workers; each one runs an export at a time.
    pub workers: usize,
    /// Download links stay valid this long.
    pub download_url_ttl_secs: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig { workers: 1, download_url_ttl_secs: 3600 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// Delays between delivery attempts; the first attempt is immediate.
    pub retry_backoff_secs: Vec<u64>,
    pub timeout_secs: u64,
    /// TEST/DEV ONLY: lets callbacks and webhooks reach loopback and private addresses so a test
    /// receiver on 127.0.0.1 can be used. Never enable on a server reachable by others: it turns
    /// every webhook into a way to probe the internal network.
    pub dev_allow_private_targets: bool,
    /// When not empty, the only hosts callbacks and webhooks may go to (an egress allowlist,
    /// checked before any DNS lookup). Empty = any public host.
    pub allowed_hosts: Vec<String>,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            retry_backoff_secs: vec![5, 30, 120, 600, 1800, 3600],
            timeout_secs: 10,
            dev_allow_private_targets: false,
            allowed_hosts: Vec::new(),
        }
    }
}

impl Config {
    /// Defaults, then the file (when given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut cfg = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
                toml::from_str(&text)
                    .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?
            }
            None => Config::default(),
        };
        cfg.apply_env(|name| std::env::var(name).ok())?;
        Ok(cfg)
    }

    /// Environment overrides, read through `get` so tests need not touch the process environment.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, v: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e: T::Err| ConfigError::Env { name: name.into(), message: e.to_string() })
        }
        macro_rules! env {
            ($name:literal, $field:expr) => {
                if let Some(v) = get($name) {
                    $field = parse($name, v)?;
                }
            };
            ($name:literal, opt $field:expr) => {
                if let Some(v) = get($name) {
                    $field = Some(parse($name, v)?);
                }
            };
        }
        env!("CHATFRAME_LISTEN", self.listen);
        env!("CHATFRAME_DATA_DIR", self.data_dir);
        env!("CHATFRAME_PUBLIC_URL", opt self.public_url);
        env!("CHATFRAME_AI_BASE_URL", opt self.ai.base_url);
        env!("CHATFRAME_AI_API_KEY", opt self.ai.api_key);
        env!("CHATFRAME_AI_MODEL", opt self.ai.model);
        env!("CHATFRAME_RATE_LIMIT_PER_MINUTE", self.rate_limit.per_minute);
        env!("CHATFRAME_RATE_LIMIT_BURST", self.rate_limit.burst);
        env!("CHATFRAME_JOB_WORKERS", self.jobs.workers);
        env!("CHATFRAME_DEV_ALLOW_PRIVATE_TARGETS", self.webhooks.dev_allow_private_targets);
        if let Some(v) = get("CHATFRAME_WEBHOOK_ALLOWED_HOSTS") {
            self.webhooks.allowed_hosts =
                v.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect();
        }
        Ok(())
    }

    pub fn public_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen)).trim_end_matches('/').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_values() {
        let mut cfg: Config = toml::from_str("listen = \"127.0.0.1:9000\"\n[pricing]\nvoice_clone = 7\n").unwrap();
        assert_eq!(cfg.pricing.voice_clone, 7);
        cfg.apply_env(|n| (n == "CHATFRAME_LISTEN").then(|| "127.0.0.1:9100".to_string())).unwrap();
        assert_eq!(cfg.listen.port(), 9100);
    }

    #[test]
    fn unknown_keys_and_bad_env_are_errors() {
        assert!(toml::from_str::<Config>("lisen = 1").is_err());
        let mut cfg = Config::default();
        let err = cfg.apply_env(|n| (n == "CHATFRAME_JOB_WORKERS").then(|| "many".to_string())).unwrap_err();
        assert!(err.to_string().contains("CHATFRAME_JOB_WORKERS"));
    }
}
