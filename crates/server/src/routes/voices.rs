//! Voices (presets and clones), characters, and text-to-speech.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, ListParams, check_len, rfc3339};
use crate::state::Shared;
use crate::storage::{Character, Voice, new_id, now_ms};
use crate::voice::VoiceError;

#[derive(Serialize, ToSchema)]
pub struct VoiceOut {
    pub voice_id: String,
    pub name: String,
    pub language: String,
    pub is_preset: bool,
    /// The engine's own voice setting (for espeak-ng: variant, pitch 0-99, words per minute).
    pub engine_voice: String,
    pub pitch: u32,
    pub rate: u32,
    /// What the voice engine measured from a cloning sample.
    #[schema(value_type = Object)]
    pub analysis: Value,
    pub created_at: String,
}

fn voice_out(v: Voice) -> VoiceOut {
    VoiceOut {
        is_preset: v.account_id.is_none(),
        voice_id: v.id,
        name: v.name,
        language: v.language,
        engine_voice: v.engine_voice,
        pitch: v.pitch,
        rate: v.rate,
        analysis: v.analysis,
        created_at: rfc3339(v.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct VoicesOut {
    pub voices: Vec<VoiceOut>,
}

#[utoipa::path(get, path = "/v1/voices", tag = "voices", responses((status = 200, description = "Presets, then this account's clones", body = VoicesOut)))]
pub async fn list_voices(State(state): State<Shared>, auth: Auth) -> ApiResult<Json<VoicesOut>> {
    let voices = state.db(move |s| s.voices(&auth.account_id)).await?;
    Ok(Json(VoicesOut { voices: voices.into_iter().map(voice_out).collect() }))
}

#[utoipa::path(get, path = "/v1/voices/{id}", tag = "voices", params(("id" = String, Path)),
    responses((status = 200, body = VoiceOut)))]
pub async fn get_voice(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<VoiceOut>> {
    Ok(Json(voice_out(state.db(move |s| s.voice(&auth.account_id, &id)).await?)))
}

#[utoipa::path(delete, path = "/v1/voices/{id}", tag = "voices", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted (presets cannot be deleted: 404)")))]
pub async fn delete_voice(State(state): State<Shared>, auth: Auth, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.db(move |s| s.delete_voice(&auth.account_id, &id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The multipart form of `POST /v1/voices/clone`.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads the fields one by one
pub struct CloneForm {
    /// 5-30 s of speech, at most 10 MB: WAV, MP3, FLAC, Ogg, M4A/AAC...
    #[schema(value_type = String, format = Binary)]
    audio: Vec<u8>,
    /// 1-100 characters.
    name: String,
    /// Language code, default `en`.
    language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClonedOut {
    #[serde(flatten)]
    pub voice: VoiceOut,
    pub credits_used: i64,
    pub credits_remaining: i64,
}

fn check_language(path: &str, lang: &str) -> ApiResult<()> {
    if crate::voice::LANGUAGES.contains(&lang) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            path,
            format!("unsupported language; one of {}", crate::voice::LANGUAGES.join(", ")),
        ))
    }
}

/// Makes a voice from a speech sample. The built-in engine matches the speaker's pitch and
/// speaking rate with an espeak-ng voice; it does not reproduce timbre.
#[utoipa::path(post, path = "/v1/voices/clone", tag = "voices",
    request_body(content = CloneForm, content_type = "multipart/form-data"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses((status = 201, body = ClonedOut), (status = 413, description = "Sample over 10 MB", body = crate::error::ErrorBody)))]
pub async fn clone_voice(
    State(state): State<Shared>,
    auth: Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<ClonedOut>)> {
    let mut form = form.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            format!("send multipart/form-data: {e}"),
        )
    })?;
    let (mut audio, mut name, mut language) = (None, None, "en".to_string());
    let limit = state.config.limits.upload_bytes;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("the sample is over {} MB", limit >> 20),
        )
    };
    while let Some(field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { ApiError::bad_request(e.body_text()) }
    })? {
        let field_name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { ApiError::bad_request(e.body_text()) }
        })?;
        match field_name.as_str() {
            "audio" => audio = Some(bytes),
            "name" => name = Some(String::from_utf8_lossy(&bytes).trim().to_string()),
            "language" => language = String::from_utf8_lossy(&bytes).trim().to_string(),
            other => return Err(ApiError::invalid_field(other, "unknown form field (expected audio, name, language)")),
        }
    }
    let audio = audio.ok_or_else(|| ApiError::invalid_field("audio", "required: the voice sample file"))?;
    if audio.len() > limit {
        return Err(too_large());
    }
    let name = name.ok_or_else(|| ApiError::invalid_field("name", "required"))?;
    check_len("name", &name, 1, 100)?;
    check_language("language", &language)?;
    let price = state.config.pricing.voice_clone;
    // Cheap pre-check so a broke account does not make the server decode and analyse for nothing;
    // the charge below is still the authoritative, atomic check.
    let acct = auth.account_id.clone();
    let balance = state.db(move |s| s.account(&acct)).await?.balance;
    if balance < price {
        return Err(ApiError::insufficient_credits(price, balance));
    }
    let engine = state.voices.clone();
    let lang = language.clone();
    let sample_bytes = audio.to_vec();
    let profile = tokio::task::spawn_blocking(move || {
        let sample = crate::voice::decode_sample(sample_bytes)?;
        engine.clone_voice(&sample, &lang)
    })
    .await?
    .map_err(|e| match e {
        VoiceError::Unsupported(_) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "UNSUPPORTED_AUDIO", e.to_string())
        }
        VoiceError::Duration(secs) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "SAMPLE_DURATION", e.to_string())
            .with_details(json!({ "seconds": secs, "min": 5, "max": 30 })),
        VoiceError::NoSpeech => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "NO_SPEECH", e.to_string()),
    })?;
    let voice = Voice {
        id: new_id("voice"),
        account_id: Some(auth.account_id.clone()),
        name,
        language,
        engine_voice: profile.engine_voice,
        pitch: profile.pitch,
        rate: profile.rate,
        analysis: profile.analysis,
        created_at: now_ms(),
    };
    let objects = state.objects.clone();
    let key = format!("samples/{}.bin", voice.id);
    tokio::task::spawn_blocking(move || objects.put(&key, &audio))
        .await?
        .map_err(|e| ApiError::internal(format!("cannot store the sample: {e}")))?;
    let (voice, entry) = state.db(move |s| s.create_cloned_voice(&voice, price)).await?;
    let out = voice_out(voice);
    crate::webhooks::emit(&state, &auth.account_id, "voice.ready", json!(&out), None).await;
    Ok((
        StatusCode::CREATED,
        Json(ClonedOut { voice: out, credits_used: price, credits_remaining: entry.balance_after }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CharacterIn {
    /// 1-100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// A preset or one of this account's clones.
    pub voice_id: String,
    /// Default `en`.
    pub language: Option<String>,
    /// How the character talks, used by the AI writer (up to 10,000 characters).
    #[schema(max_length = 10000)]
    pub personality: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CharacterOut {
    pub character_id: String,
    pub name: String,
    pub voice_id: String,
    pub language: String,
    pub personality: Option<String>,
    pub created_at: String,
}

fn character_out(c: Character) -> CharacterOut {
    CharacterOut {
        character_id: c.id,
        name: c.name,
        voice_id: c.voice_id,
        language: c.language,
        personality: c.personality,
        created_at: rfc3339(c.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CharacterList {
    pub characters: Vec<CharacterOut>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(get, path = "/v1/characters", tag = "voices", params(ListParams), responses((status = 200, body = CharacterList)))]
pub async fn list_characters(
    State(state): State<Shared>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<CharacterList>> {
    let page = q.page()?;
    let (items, total) = state.db(move |s| s.characters(&auth.account_id, page)).await?;
    Ok(Json(CharacterList {
        characters: items.into_iter().map(character_out).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[utoipa::path(post, path = "/v1/characters", tag = "voices", request_body = CharacterIn,
    responses((status = 201, body = CharacterOut)))]
pub async fn create_character(
    State(state): State<Shared>,
    auth: Auth,
    ApiJson(body): ApiJson<CharacterIn>,
) -> ApiResult<(StatusCode, Json<CharacterOut>)> {
    check_len("name", body.name.trim(), 1, 100)?;
    let language = body.language.unwrap_or_else(|| "en".into());
    check_language("language", &language)?;
    if let Some(p) = &body.personality {
        check_len("personality", p, 0, 10_000)?;
    }
    let ch = Character {
        id: new_id("char"),
        account_id: auth.account_id.clone(),
        name: body.name.trim().to_string(),
        voice_id: body.voice_id.clone(),
        language,
        personality: body.personality,
        created_at: now_ms(),
    };
    let c = state
        .db(move |s| {
            // An unknown voice (or another account's) is a bad field here, not a missing page.
            match s.voice(&ch.account_id, &ch.voice_id) {
                Err(crate::storage::StorageError::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
            s.create_character(&ch).map(Some)
        })
        .await?
        .ok_or_else(|| ApiError::invalid_field("voice_id", "no such voice (see GET /v1/voices)"))?;
    Ok((StatusCode::CREATED, Json(character_out(c))))
}

#[utoipa::path(get, path = "/v1/characters/{id}", tag = "voices", params(("id" = String, Path)),
    responses((status = 200, body = CharacterOut)))]
pub async fn get_character(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CharacterOut>> {
    Ok(Json(character_out(state.db(move |s| s.character(&auth.account_id, &id)).await?)))
}

#[utoipa::path(delete, path = "/v1/characters/{id}", tag = "voices", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_character(
    State(state): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.db(move |s| s.delete_character(&auth.account_id, &id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TtsIn {
    /// 1-5,000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub text: String,
    /// Speak with this voice...
    pub voice_id: Option<String>,
    /// ...or with this character's voice (exactly one of the two).
    pub character_id: Option<String>,
}

/// Speech as MP3. Priced per started 100 characters; refunded if synthesis fails.
#[utoipa::path(post, path = "/v1/tts", tag = "voices", request_body = TtsIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first response")),
    responses((status = 200, description = "MP3 audio", content_type = "audio/mpeg", body = Vec<u8>,
        headers(("x-credits-used" = i64), ("x-credits-remaining" = i64)))))]
pub async fn tts(State(state): State<Shared>, auth: Auth, ApiJson(body): ApiJson<TtsIn>) -> ApiResult<Response> {
    check_len("text", &body.text, 1, 5000)?;
    if body.text.trim().is_empty() {
        return Err(ApiError::invalid_field("text", "must contain something to say"));
    }
    let acct = auth.account_id.clone();
    let voice = match (body.voice_id, body.character_id) {
        (Some(v), None) => state.db(move |s| s.voice(&acct, &v)).await?,
        (None, Some(c)) => state.db(move |s| s.voice(&acct, &s.character(&acct, &c)?.voice_id)).await?,
        _ => return Err(ApiError::invalid_field("voice_id", "give exactly one of voice_id and character_id")),
    };
    let price = crate::tts::tts_price(body.text.chars().count(), state.config.pricing.tts_per_100_chars);
    let acct = auth.account_id.clone();
    let chars = body.text.chars().count();
    let charge =
        state.db(move |s| s.charge(&acct, price, &format!("text-to-speech, {chars} characters"), None)).await?;
    let engine = state.tts.clone();
    let text = body.text;
    match tokio::task::spawn_blocking(move || engine.synthesize(&voice, &text)).await? {
        Ok(mp3) => Ok((
            [
                (header::CONTENT_TYPE, "audio/mpeg".to_string()),
                (header::HeaderName::from_static("x-credits-used"), price.to_string()),
                (header::HeaderName::from_static("x-credits-remaining"), charge.balance_after.to_string()),
            ],
            mp3,
        )
            .into_response()),
        Err(e) => {
            let id = charge.id.clone();
            state.db(move |s| s.refund(&id, "refund: text-to-speech failed")).await?;
            Err(ApiError::upstream("TTS_FAILED", format!("speech synthesis failed (credits refunded): {e}")))
        }
    }
}
