//! `POST /v1/ai/generate`: a conversation from a prompt, as JSON or as a Server-Sent-Events
//! stream of messages while the model writes them. The result is stored as a conversation.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio_stream::wrappers::ReceiverStream;
use utoipa::ToSchema;

use crate::ai::{Brief, DraftMessage, build_project};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, check_len, rfc3339};
use crate::state::Shared;
use crate::storage::{LedgerEntry, new_id, now_ms};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateIn {
    /// What the conversation is about (5-2,000 characters).
    #[schema(min_length = 5, max_length = 2000)]
    pub prompt: String,
    /// Names, 2-6; the first is the phone's owner. Default `["Me", "Alex"]`.
    #[schema(min_items = 2, max_items = 6)]
    pub participants: Option<Vec<String>>,
    /// `casual` (default), `funny`, `dramatic`, `romantic`, `spooky` or `formal`.
    #[schema(pattern = "^(casual|funny|dramatic|romantic|spooky|formal)$")]
    pub style: Option<String>,
    /// Language code, default `en`.
    pub language: Option<String>,
    /// `short` (8 messages), `medium` (16, default) or `long` (30).
    #[schema(pattern = "^(short|medium|long)$")]
    pub length: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GenerateOut {
    pub id: String,
    /// The stored conversation holding the result.
    pub conversation_id: String,
    pub messages: Vec<DraftMessage>,
    /// The conversation as a Chatframe project.
    #[schema(value_type = Object)]
    pub project: Value,
    pub credits_used: i64,
    pub created_at: String,
}

const STYLES: &[&str] = &["casual", "funny", "dramatic", "romantic", "spooky", "formal"];

fn brief(body: GenerateIn) -> ApiResult<Brief> {
    check_len("prompt", body.prompt.trim(), 5, 2000)?;
    let participants = body.participants.unwrap_or_else(|| vec!["Me".into(), "Alex".into()]);
    if !(2..=6).contains(&participants.len()) {
        return Err(ApiError::invalid_field("participants", "give 2-6 names"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, p) in participants.iter().enumerate() {
        check_len(&format!("participants[{i}]"), p.trim(), 1, 40)?;
        if !seen.insert(p.trim().to_lowercase()) {
            return Err(ApiError::invalid_field(&format!("participants[{i}]"), "names must differ"));
        }
    }
    let style = body.style.unwrap_or_else(|| "casual".into());
    if !STYLES.contains(&style.as_str()) {
        return Err(ApiError::invalid_field("style", format!("one of {}", STYLES.join(", "))));
    }
    let language = body.language.unwrap_or_else(|| "en".into());
    if !(2..=8).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
        return Err(ApiError::invalid_field("language", "a language code such as en or pt-BR"));
    }
    let messages = match body.length.as_deref().unwrap_or("medium") {
        "short" => 8,
        "medium" => 16,
        "long" => 30,
        _ => return Err(ApiError::invalid_field("length", "one of short, medium, long")),
    };
    Ok(Brief {
        prompt: body.prompt.trim().to_string(),
        participants: participants.iter().map(|p| p.trim().to_string()).collect(),
        style,
        language,
        messages,
    })
}

fn unavailable() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "AI_UNAVAILABLE",
        "the AI writer is not configured on this server: set [ai] base_url (any OpenAI-compatible \
         endpoint, e.g. https://api.openai.com/v1 or http://localhost:11434/v1), api_key and model in the \
         config file, or CHATFRAME_AI_BASE_URL / CHATFRAME_AI_API_KEY / CHATFRAME_AI_MODEL",
    );
    e.retry_after = Some(3600);
    e
}

/// Stores the result and builds the response body.
async fn save(
    state: &Shared,
    account_id: &str,
    brief: &Brief,
    msgs: Vec<DraftMessage>,
    price: i64,
) -> ApiResult<GenerateOut> {
    let project = build_project(brief, &msgs);
    let value = serde_json::to_value(&project).map_err(|e| ApiError::internal(e.to_string()))?;
    crate::routes::conversations::to_project(&value)?;
    let (acct, name, v) = (account_id.to_string(), project.name.clone(), value.clone());
    let conv = state.db(move |s| s.create_conversation(&acct, &name, &v)).await?;
    Ok(GenerateOut {
        id: new_id("gen"),
        conversation_id: conv.id,
        messages: msgs,
        project: value,
        credits_used: price,
        created_at: rfc3339(now_ms()),
    })
}

async fn refund(state: &Shared, charge: &LedgerEntry) {
    let id = charge.id.clone();
    if let Err(e) = state.db(move |s| s.refund(&id, "refund: AI generation failed")).await {
        tracing::error!(error = %e, "cannot refund a failed AI generation");
    }
}

#[utoipa::path(post, path = "/v1/ai/generate", tag = "ai", request_body = GenerateIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses(
        (status = 200, description = "The conversation as JSON; with `Accept: text/event-stream`, `message` events as they are written then a `done` event with this body", body = GenerateOut),
        (status = 503, description = "No AI endpoint configured (`AI_UNAVAILABLE`)", body = crate::error::ErrorBody)))]
pub async fn generate(
    State(state): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<GenerateIn>,
) -> ApiResult<Response> {
    let brief = brief(body)?;
    let Some(writer) = state.ai.clone() else { return Err(unavailable()) };
    let price = state.config.pricing.ai_generate;
    let acct = auth.account_id.clone();
    let charge = state.db(move |s| s.charge(&acct, price, "AI writer", None)).await?;
    let wants_stream =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/event-stream"));
    if !wants_stream {
        return match writer.generate(&brief).await {
            Ok(msgs) => Ok(Json(save(&state, &auth.account_id, &brief, msgs, price).await?).into_response()),
            Err(e) => {
                refund(&state, &charge).await;
                Err(ApiError::upstream("AI_UPSTREAM_ERROR", format!("{e} (credits refunded)")))
            }
        };
    }
    let stream = match writer.stream(brief.clone()).await {
        Ok(s) => s,
        Err(e) => {
            refund(&state, &charge).await;
            return Err(ApiError::upstream("AI_UPSTREAM_ERROR", format!("{e} (credits refunded)")));
        }
    };
    // The model is read by a task of its own, so the result is stored and a failure refunded
    // even when the client goes away mid-stream.
    let (tx, rx) = tokio::sync::mpsc::channel::<Event>(32);
    tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        let mut msgs = Vec::new();
        let mut failure = None;
        while let Some(item) = stream.next().await {
            match item {
                Ok(m) => {
                    let ev = Event::default()
                        .event("message")
                        .json_data(json!({ "index": msgs.len(), "sender": m.sender, "text": m.text }));
                    msgs.push(m);
                    if let Ok(ev) = ev {
                        let _ = tx.send(ev).await;
                    }
                }
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            }
        }
        let result = match failure {
            None if !msgs.is_empty() => save(&state, &auth.account_id, &brief, msgs, price).await,
            None => Err(ApiError::upstream("AI_UPSTREAM_ERROR", "the AI endpoint answered with no usable messages")),
            Some(e) => Err(ApiError::upstream("AI_UPSTREAM_ERROR", e)),
        };
        let ev = match result {
            Ok(out) => Event::default().event("done").json_data(&out),
            Err(e) => {
                refund(&state, &charge).await;
                Event::default().event("error").json_data(json!({ "error": { "code": e.code, "message": format!("{} (credits refunded)", e.message), "details": e.details } }))
            }
        };
        if let Ok(ev) = ev {
            let _ = tx.send(ev).await;
        }
    });
    let events = ReceiverStream::new(rx).map(Ok::<Event, Infallible>);
    Ok(Sse::new(events).into_response())
}
