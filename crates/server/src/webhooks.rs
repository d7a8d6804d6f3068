//! Webhook signing (Standard Webhooks) and the delivery worker: each delivery is POSTed through
//! the SSRF-guarded [`Fetcher`](crate::ssrf::Fetcher), retried with backoff, and every attempt is
//! recorded in the delivery log.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::extract::rfc3339;
use crate::state::Shared;
use crate::storage::{Delivery, now_ms};

pub const EVENTS: &[&str] = &["export.completed", "export.failed", "render.completed", "render.failed", "voice.ready"];

/// `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format.
pub fn new_secret() -> String {
    let raw: [u8; 32] = rand::random();
    format!("whsec_{}", B64.encode(raw))
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the decoded secret.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> String {
    let key = B64.decode(secret.trim_start_matches("whsec_")).unwrap_or_else(|_| secret.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
}

/// The JSON body of an event: `{"type", "timestamp", "data"}`.
pub fn event_payload(event: &str, data: Value) -> String {
    json!({ "type": event, "timestamp": rfc3339(now_ms()), "data": data }).to_string()
}

/// Queues `event` for the account's subscribed endpoints (and `callback`, signed with the
/// account's callback secret), then wakes the sender.
pub async fn emit(state: &Shared, account_id: &str, event: &str, data: Value, callback: Option<String>) {
    let payload = event_payload(event, data);
    let (acct, ev) = (account_id.to_string(), event.to_string());
    let res = state
        .db(move |s| {
            let extra = match callback {
                Some(url) => Some((url, s.account(&acct)?.callback_secret)),
                None => None,
            };
            s.enqueue_event(&acct, &ev, &payload, extra.as_ref().map(|(u, k)| (None, u.as_str(), k.as_str())))
        })
        .await;
    match res {
        Ok(_) => state.deliveries_ready.notify_one(),
        Err(e) => tracing::error!(event, error = %e, "cannot queue webhook deliveries"),
    }
}

/// Runs forever: sends due deliveries, at most 8 at a time.
pub async fn delivery_worker(state: Shared) {
    let in_flight: Arc<Mutex<HashSet<String>>> = Arc::default();
    let permits = Arc::new(tokio::sync::Semaphore::new(8));
    loop {
        let due = state.db(|s| s.due_deliveries(now_ms(), 32)).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot read due deliveries");
            Vec::new()
        });
        for d in due {
            if !in_flight.lock().expect("in-flight poisoned").insert(d.id.clone()) {
                continue;
            }
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            let (state, in_flight) = (state.clone(), in_flight.clone());
            tokio::spawn(async move {
                let id = d.id.clone();
                attempt(&state, d).await;
                in_flight.lock().expect("in-flight poisoned").remove(&id);
                drop(permit);
                state.deliveries_ready.notify_one();
            });
        }
        tokio::select! {
            _ = state.deliveries_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
    }
}

async fn attempt(state: &Shared, d: Delivery) {
    let ts = now_ms() / 1000;
    let headers = [
        ("webhook-id", d.id.clone()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", sign(&d.secret, &d.id, ts, &d.payload)),
        ("user-agent", format!("Chatframe-Webhooks/{}", env!("CARGO_PKG_VERSION"))),
    ];
    let result = state.fetcher.post(&d.url, &headers, d.payload.clone().into_bytes()).await;
    let (code, error) = match result {
        Ok(r) if (200..300).contains(&r.status) => (Some(i64::from(r.status)), None),
        Ok(r) => (Some(i64::from(r.status)), Some(format!("endpoint answered {}", r.status))),
        Err(e) => (None, Some(e.to_string())),
    };
    let backoff = &state.config.webhooks.retry_backoff_secs;
    // Refused URLs will be refused again: retrying them only fills the log.
    let permanent = matches!(&error, Some(e) if e.starts_with("refused") || e.starts_with("only http"));
    let next = match &error {
        Some(_) if !permanent => backoff.get(d.attempts as usize).map(|secs| now_ms() + (*secs as i64) * 1000),
        _ => None,
    };
    if let Some(e) = &error {
        tracing::warn!(delivery = %d.id, attempt = d.attempts + 1, error = %e, "webhook delivery failed");
    }
    let id = d.id.clone();
    if let Err(e) = state.db(move |s| s.record_attempt(&id, code, error.as_deref(), next)).await {
        tracing::error!(delivery = %d.id, error = %e, "cannot record webhook attempt");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vector from the Standard Webhooks reference libraries.
    #[test]
    fn signature_matches_the_spec_vector() {
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
