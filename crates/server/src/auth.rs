//! API keys, authentication and per-key rate limiting.
//!
//! Keys carry 256 random bits, so a single SHA-256 is enough to store them safely (slow password
//! hashes exist for low-entropy secrets, and would cap throughput for no gain). Lookups are cached
//! briefly in memory: a deleted key is dropped from this process's cache at once, and from other
//! processes' within [`CACHE_TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::Shared;
use crate::storage::KeyInfo;

const CACHE_TTL: Duration = Duration::from_secs(30);
pub const KEY_PREFIX: &str = "cf_live_";

/// A new key: the full secret (shown once) and what is stored.
pub struct NewKey {
    pub secret: String,
    pub hash: Vec<u8>,
    pub prefix: String,
}

pub fn generate_key() -> NewKey {
    let raw: [u8; 32] = rand::random();
    let secret = format!("{KEY_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw));
    let hash = hash_key(&secret);
    let prefix = secret.chars().take(KEY_PREFIX.len() + 4).collect();
    NewKey { secret, hash, prefix }
}

pub fn hash_key(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The authenticated caller, put into request extensions by [`require_auth`].
#[derive(Debug, Clone)]
pub struct Auth {
    pub account_id: String,
    pub key_id: String,
}

impl FromRequestParts<Shared> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &Shared) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or_else(|| ApiError::internal("route is missing the authentication layer"))
    }
}

#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<Vec<u8>, (KeyInfo, Instant)>>,
}

impl AuthCache {
    fn get(&self, hash: &[u8]) -> Option<KeyInfo> {
        let map = self.entries.lock().expect("auth cache poisoned");
        map.get(hash).filter(|(_, at)| at.elapsed() < CACHE_TTL).map(|(k, _)| k.clone())
    }

    fn put(&self, hash: Vec<u8>, info: KeyInfo) {
        let mut map = self.entries.lock().expect("auth cache poisoned");
        if map.len() > 100_000 {
            map.clear();
        }
        map.insert(hash, (info, Instant::now()));
    }

    pub fn forget_key(&self, key_id: &str) {
        self.entries.lock().expect("auth cache poisoned").retain(|_, (k, _)| k.key_id != key_id);
    }
}

/// Reads the key from `Authorization: Bearer` or `x-api-key`.
fn presented_key(headers: &HeaderMap) -> Result<&str, ApiError> {
    if let Some(v) = headers.get(header::AUTHORIZATION) {
        let v = v.to_str().map_err(|_| ApiError::unauthorized("Authorization header is not valid text"))?;
        let (scheme, token) = v.split_once(' ').unwrap_or((v, ""));
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(ApiError::unauthorized("use `Authorization: Bearer <api key>` or the `x-api-key` header"));
        }
        return Ok(token.trim());
    }
    if let Some(v) = headers.get("x-api-key") {
        return v.to_str().map(str::trim).map_err(|_| ApiError::unauthorized("x-api-key is not valid text"));
    }
    Err(ApiError::unauthorized("missing API key: send `Authorization: Bearer <api key>` or `x-api-key`"))
}

/// Middleware of every authenticated route: resolves the key, then applies the key's rate limit.
pub async fn require_auth(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
    match authenticate(&state, req.headers()).await {
        Ok((auth, limit, remaining)) => {
            req.extensions_mut().insert(auth);
            let mut resp = next.run(req).await;
            // Lets well-behaved clients pace themselves before they ever see a 429.
            let h = resp.headers_mut();
            h.insert("x-ratelimit-limit", limit.into());
            h.insert("x-ratelimit-remaining", remaining.into());
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// The caller, the key's limit per minute and the requests left in its bucket.
async fn authenticate(state: &Shared, headers: &HeaderMap) -> Result<(Auth, u32, u32), ApiError> {
    let key = presented_key(headers)?;
    let hash = hash_key(key);
    let info = match state.auth_cache.get(&hash) {
        Some(info) => info,
        None => {
            let h = hash.clone();
            let info =
                state.db(move |s| s.key_lookup(&h)).await?.ok_or_else(|| ApiError::unauthorized("invalid API key"))?;
            state.auth_cache.put(hash, info.clone());
            info
        }
    };
    let per_minute = info.rate_per_minute.unwrap_or(state.config.rate_limit.per_minute);
    let remaining = state.limiter.check(&info.key_id, per_minute, state.config.rate_limit.burst)?;
    Ok((Auth { account_id: info.account_id, key_id: info.key_id }, per_minute, remaining))
}

/// Token bucket per key: `burst` requests at once, refilled at `per_minute`.
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// Takes one request from the key's bucket; returns how many are left.
    pub fn check(&self, key_id: &str, per_minute: u32, burst: u32) -> Result<u32, ApiError> {
        let rate = f64::from(per_minute.max(1)) / 60.0;
        // A tier slower than the default burst gets a burst of its own size, so a 5/min key
        // cannot send 120 at once.
        let capacity = f64::from(burst.min(per_minute).max(1));
        let now = Instant::now();
        let mut map = self.buckets.lock().expect("rate limiter poisoned");
        let (tokens, last) = map.entry(key_id.to_string()).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(*tokens as u32)
        } else {
            let wait = ((1.0 - *tokens) / rate).ceil() as u64;
            Err(ApiError::rate_limited(wait.max(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_hashed() {
        let a = generate_key();
        let b = generate_key();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash_key(&a.secret));
        assert!(a.secret.starts_with(KEY_PREFIX) && a.prefix.len() == KEY_PREFIX.len() + 4);
    }

    #[test]
    fn limiter_refuses_past_burst_with_retry_after() {
        let l = RateLimiter::default();
        for _ in 0..3 {
            l.check("k", 3, 100).unwrap();
        }
        let e = l.check("k", 3, 100).unwrap_err();
        assert_eq!(e.status, 429);
        assert!(e.retry_after.unwrap() >= 1);
        l.check("other", 3, 100).unwrap();
    }
}
