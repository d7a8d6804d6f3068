//! Account, credits (balance, ledger, charges, estimates), the price table and API keys.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, ListParams, check_len, rfc3339};
use crate::state::Shared;
use crate::storage::{LedgerEntry, StorageError};

#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub id: String,
    pub name: String,
    pub credits_remaining: i64,
    /// Requests per minute allowed for each key of this account.
    pub rate_limit_per_minute: u32,
    /// Signs template-render callbacks (Standard Webhooks, `whsec_…`).
    pub callback_signing_secret: String,
    pub created_at: String,
}

#[utoipa::path(get, path = "/v1/account", tag = "account", responses((status = 200, body = AccountOut)))]
pub async fn get_account(State(state): State<Shared>, auth: Auth) -> ApiResult<Json<AccountOut>> {
    let a = state.db(move |s| s.account(&auth.account_id)).await?;
    Ok(Json(AccountOut {
        rate_limit_per_minute: a.rate_per_minute.unwrap_or(state.config.rate_limit.per_minute),
        id: a.id,
        name: a.name,
        credits_remaining: a.balance,
        callback_signing_secret: a.callback_secret,
        created_at: rfc3339(a.created_at),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TransactionOut {
    pub id: String,
    /// Positive for purchases and refunds, negative for charges.
    pub amount: i64,
    /// `purchase`, `charge` or `refund`.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub reference: Option<String>,
    pub balance_after: i64,
    pub created_at: String,
}

impl From<LedgerEntry> for TransactionOut {
    fn from(e: LedgerEntry) -> Self {
        TransactionOut {
            id: e.id,
            amount: e.amount,
            kind: e.kind.as_str().into(),
            description: e.description,
            reference: e.reference,
            balance_after: e.balance_after,
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreditsOut {
    pub credits_remaining: i64,
    /// Newest first.
    pub transactions: Vec<TransactionOut>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(get, path = "/v1/credits", tag = "account", params(ListParams),
    responses((status = 200, description = "Balance and the latest ledger entries", body = CreditsOut)))]
pub async fn get_credits(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<CreditsOut>> {
    let page = q.page()?;
    let (account, (entries, total)) =
        state.db(move |s| Ok((s.account(&auth.account_id)?, s.transactions(&auth.account_id, page)?))).await?;
    Ok(Json(CreditsOut {
        credits_remaining: account.balance,
        transactions: entries.into_iter().map(Into::into).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeIn {
    /// Credits to spend, 1-1,000,000.
    #[schema(minimum = 1, maximum = 1000000)]
    pub amount: i64,
    /// What the credits pay for, shown in the ledger (1-200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChargeOut {
    pub transaction: TransactionOut,
    pub credits_remaining: i64,
}

/// Spends credits for metered usage an integration bills through Chatframe credits (the same
/// ledger primitive every priced endpoint uses). Never takes the balance below zero.
#[utoipa::path(post, path = "/v1/credits/charges", tag = "account", request_body = ChargeIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses((status = 201, body = ChargeOut), (status = 402, description = "Insufficient credits", body = crate::error::ErrorBody)))]
pub async fn create_charge(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<ChargeIn>,
) -> ApiResult<(StatusCode, Json<ChargeOut>)> {
    if !(1..=1_000_000).contains(&body.amount) {
        return Err(ApiError::invalid_field("amount", "must be between 1 and 1000000"));
    }
    check_len("description", body.description.trim(), 1, 200)?;
    let entry = state.db(move |s| s.charge(&auth.account_id, body.amount, body.description.trim(), None)).await?;
    let credits_remaining = entry.balance_after;
    Ok((StatusCode::CREATED, Json(ChargeOut { transaction: entry.into(), credits_remaining })))
}

#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    /// The operation name used by `POST /v1/estimate`.
    pub operation: String,
    pub endpoint: String,
    pub credits: i64,
    /// What one `credits` buys: `request`, `100 characters`, `output second`.
    pub unit: String,
    pub minimum: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PricingOut {
    pub prices: Vec<PriceOut>,
}

pub fn price_table(p: &crate::config::Pricing) -> Vec<PriceOut> {
    let row = |op: &str, ep: &str, credits: i64, unit: &str| PriceOut {
        operation: op.into(),
        endpoint: ep.into(),
        credits,
        unit: unit.into(),
        minimum: credits,
    };
    vec![
        row("tts", "POST /v1/tts", p.tts_per_100_chars, "100 characters"),
        row("export", "POST /v1/exports", p.export_per_second, "output second"),
        row("render", "POST /v1/renders", p.render_per_second, "output second"),
        row("voice_clone", "POST /v1/voices/clone", p.voice_clone, "request"),
        row("ai_generate", "POST /v1/ai/generate", p.ai_generate, "request"),
    ]
}

/// The price table; public so a client can show prices before signing in.
#[utoipa::path(get, path = "/v1/pricing", tag = "account", security(()), responses((status = 200, body = PricingOut)))]
pub async fn pricing(State(state): State<Shared>) -> Json<PricingOut> {
    Json(PricingOut { prices: price_table(&state.config.pricing) })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimateIn {
    /// `tts`, `export`, `render`, `voice_clone` or `ai_generate`.
    #[schema(pattern = "^(tts|export|render|voice_clone|ai_generate)$")]
    pub operation: String,
    /// For `tts`: the text to speak.
    pub text: Option<String>,
    /// For `export` and `render`: the stored conversation.
    pub conversation_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EstimateOut {
    pub operation: String,
    pub credits: i64,
    pub credits_remaining: i64,
    pub sufficient: bool,
    /// For exports and renders: the output length the price is based on.
    pub output_seconds: Option<f64>,
}

/// What a priced request would cost, without spending anything.
#[utoipa::path(post, path = "/v1/estimate", tag = "account", request_body = EstimateIn,
    responses((status = 200, body = EstimateOut)))]
pub async fn estimate(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<EstimateIn>,
) -> ApiResult<Json<EstimateOut>> {
    let p = state.config.pricing.clone();
    let mut seconds = None;
    let credits = match body.operation.as_str() {
        "tts" => {
            let text = body.text.as_deref().ok_or_else(|| ApiError::invalid_field("text", "required for tts"))?;
            check_len("text", text, 1, 5000)?;
            crate::tts::tts_price(text.chars().count(), p.tts_per_100_chars)
        }
        "export" | "render" => {
            let id = body
                .conversation_id
                .clone()
                .ok_or_else(|| ApiError::invalid_field("conversation_id", "required for exports and renders"))?;
            let acct = auth.account_id.clone();
            let conv = state.db(move |s| s.conversation(&acct, &id)).await?;
            let project = crate::routes::conversations::to_project(&conv.project)?;
            let (secs, billable) = crate::jobs::billable_seconds(&project);
            seconds = Some(secs);
            billable * if body.operation == "export" { p.export_per_second } else { p.render_per_second }
        }
        "voice_clone" => p.voice_clone,
        "ai_generate" => p.ai_generate,
        _ => {
            return Err(ApiError::invalid_field(
                "operation",
                "must be one of tts, export, render, voice_clone, ai_generate",
            ));
        }
    };
    let balance = state.db(move |s| s.account(&auth.account_id)).await?.balance;
    Ok(Json(EstimateOut {
        operation: body.operation,
        credits,
        credits_remaining: balance,
        sufficient: balance >= credits,
        output_seconds: seconds,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct KeyOut {
    pub id: String,
    pub name: String,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct KeysOut {
    pub data: Vec<KeyOut>,
}

#[utoipa::path(get, path = "/v1/keys", tag = "account", responses((status = 200, body = KeysOut)))]
pub async fn list_keys(State(state): State<Shared>, auth: Auth) -> ApiResult<Json<KeysOut>> {
    let keys = state.db(move |s| s.list_keys(&auth.account_id)).await?;
    Ok(Json(KeysOut {
        data: keys
            .into_iter()
            .map(|k| KeyOut { id: k.id, name: k.name, prefix: k.prefix, created_at: rfc3339(k.created_at) })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyIn {
    /// A label for the key (1-100 characters).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewKeyOut {
    #[serde(flatten)]
    pub key: KeyOut,
    /// The key itself. Shown this once; only its hash is stored.
    pub secret: String,
}

#[utoipa::path(post, path = "/v1/keys", tag = "account", request_body = KeyIn,
    responses((status = 201, description = "The new key, shown once", body = NewKeyOut)))]
pub async fn create_key(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<KeyIn>,
) -> ApiResult<(StatusCode, Json<NewKeyOut>)> {
    check_len("name", body.name.trim(), 1, 100)?;
    let new = crate::auth::generate_key();
    let (hash, prefix) = (new.hash.clone(), new.prefix.clone());
    let row = state.db(move |s| s.add_key(&auth.account_id, body.name.trim(), &hash, &prefix)).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewKeyOut {
            key: KeyOut { id: row.id, name: row.name, prefix: row.prefix, created_at: rfc3339(row.created_at) },
            secret: new.secret,
        }),
    ))
}

#[utoipa::path(delete, path = "/v1/keys/{id}", tag = "account", params(("id" = String, Path)),
    responses((status = 204, description = "Revoked")))]
pub async fn delete_key(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let acct = auth.account_id.clone();
    let kid = id.clone();
    state
        .db(move |s| {
            let keys = s.list_keys(&acct)?;
            if !keys.iter().any(|k| k.id == kid) {
                return Err(StorageError::NotFound("key"));
            }
            if keys.len() <= 1 {
                return Err(StorageError::Conflict("cannot revoke the account's last key".into()));
            }
            s.delete_key(&acct, &kid)
        })
        .await?;
    state.auth_cache.forget_key(&id);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct HealthOut {
    pub status: String,
    pub version: String,
    pub tts_engine: String,
    pub voice_engine: String,
    pub render_engine: String,
    pub ai_writer: bool,
}

/// Liveness and which engines this server runs with.
#[utoipa::path(get, path = "/v1/health", tag = "account", security(()), responses((status = 200, body = HealthOut)))]
pub async fn health(State(state): State<Shared>) -> Json<HealthOut> {
    Json(HealthOut {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        tts_engine: state.tts.name().into(),
        voice_engine: state.voices.name().into(),
        render_engine: state.render.name().into(),
        ai_writer: state.ai.is_some(),
    })
}
