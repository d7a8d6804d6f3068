//! The HTTP front door: JSON for commands, raw bytes for frames and posters.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chatframe_studio::{CreateProject, EditOp, transport};
use serde::Deserialize;

use crate::{ApiError, ApiResult};
use chatframe_studio::ExportRequest;
use chatframe_studio::{App, encode_frame};

#[derive(Clone)]
struct Ctx {
    app: Arc<App>,
    token: Arc<str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.payload)).into_response()
    }
}

/// Runs a blocking studio call off the async workers.
async fn blocking<T: Send + 'static, E: Into<ApiError>>(
    app: &Arc<App>,
    f: impl FnOnce(&App) -> Result<T, E> + Send + 'static,
) -> ApiResult<T> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || f(&app).map_err(Into::into))
        .await
        .unwrap_or_else(|e| Err(ApiError::new(500, transport::INTERNAL, format!("request panicked: {e}"))))
}

/// The API router. `/api/*` needs the token; `static_dir` (the built UI) is served without it,
/// since the page only becomes useful with the token the launcher prints.
pub fn router(app: Arc<App>, token: &str, static_dir: Option<PathBuf>) -> Router {
    let ctx = Ctx { app, token: token.into() };
    let api = Router::new()
        .route("/catalog", get(catalog))
        .route("/projects", get(list).post(create))
        .route("/projects/{id}", get(open).delete(trash))
        .route("/projects/{id}/rename", post(rename))
        .route("/projects/{id}/duplicate", post(duplicate))
        .route("/projects/{id}/restore", post(restore))
        .route("/projects/{id}/purge", post(purge))
        .route("/projects/{id}/close", post(close))
        .route("/projects/{id}/poster.png", get(poster))
        .route("/projects/{id}/ops", post(apply))
        .route("/projects/{id}/undo", post(undo))
        .route("/projects/{id}/redo", post(redo))
        .route("/projects/{id}/markers", get(markers))
        .route("/projects/{id}/seek/{message}", get(seek))
        .route("/projects/{id}/frame", get(frame))
        .route("/projects/{id}/playback", get(playback))
        .route("/projects/{id}/playback/play", post(play))
        .route("/projects/{id}/playback/pause", post(pause))
        .route("/projects/{id}/playback/seek", post(seek_playback))
        .route("/projects/{id}/exports", post(start_export))
        .route("/projects/{id}/export-name", get(export_name))
        .route("/projects/{id}/file", get(project_file))
        .route("/import", post(import))
        .route("/media", post(add_media))
        .route("/exports", get(exports))
        .route("/exports/{job}/cancel", post(cancel_export))
        .route("/exports/{job}/reveal", post(reveal_export))
        .route("/voices", get(voices))
        .route("/voices/sample", post(play_voice_sample))
        .route("/projects/{id}/voice", get(voice_job).post(generate_voice))
        .route("/projects/{id}/voice/cancel", post(cancel_voice))
        .route("/ws", get(ws))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(middleware::from_fn_with_state(ctx.clone(), auth))
        .with_state(ctx);
    let router = Router::new().nest("/api", api);
    match static_dir {
        Some(dir) => router.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => router,
    }
}

/// Every API call carries the per-launch token (header, or `?token=` where a header cannot be
/// set: WebSocket, `<img src>`), so no other local user or web page can drive the library.
async fn auth(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let query = req.uri().query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("token=")).map(str::to_string);
    let given = bearer.or(query).unwrap_or_default();
    if !constant_time_eq(given.as_bytes(), ctx.token.as_bytes()) {
        return ApiError::new(401, transport::UNAUTHORIZED, "missing or wrong API token").into_response();
    }
    let mut res = next.run(req).await;
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn catalog(State(c): State<Ctx>) -> impl IntoResponse {
    Json(c.app.catalog())
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    #[serde(default)]
    trash: bool,
}

async fn list(State(c): State<Ctx>, Query(q): Query<ListQuery>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.list(q.q.as_deref(), q.trash)).await?))
}

async fn create(State(c): State<Ctx>, Json(req): Json<CreateProject>) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(blocking(&c.app, move |a| a.create(&req)).await?)))
}

#[derive(Deserialize)]
struct OpenQuery {
    /// `false` leaves the state's marker list empty (fetch `/markers` later).
    #[serde(default = "yes")]
    markers: bool,
}

fn yes() -> bool {
    true
}

async fn open(
    State(c): State<Ctx>,
    Path(id): Path<String>,
    Query(q): Query<OpenQuery>,
) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.open_project(&id, q.markers)).await?))
}

async fn close(State(c): State<Ctx>, Path(id): Path<String>) -> StatusCode {
    c.app.close_project(&id);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Rename {
    name: String,
}

async fn rename(State(c): State<Ctx>, Path(id): Path<String>, Json(r): Json<Rename>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.rename(&id, &r.name)).await?))
}

async fn duplicate(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(blocking(&c.app, move |a| a.duplicate(&id)).await?)))
}

async fn trash(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    blocking(&c.app, move |a| a.trash(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn restore(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    blocking(&c.app, move |a| a.restore(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn purge(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    blocking(&c.app, move |a| a.purge(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn poster(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let png = blocking(&c.app, move |a| a.poster(&id)).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png))
}

async fn apply(State(c): State<Ctx>, Path(id): Path<String>, Json(op): Json<EditOp>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.apply(&id, op)).await?))
}

async fn undo(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.undo(&id)).await?))
}

async fn redo(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.redo(&id)).await?))
}

async fn markers(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.markers(&id)).await?))
}

async fn seek(State(c): State<Ctx>, Path((id, message)): Path<(String, String)>) -> ApiResult<impl IntoResponse> {
    let t = blocking(&c.app, move |a| a.seek_to_message(&id, &message)).await?;
    Ok(Json(serde_json::json!({ "timeUs": t })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FrameQuery {
    #[serde(default)]
    t: i64,
    #[serde(default)]
    max_width: u32,
}

/// One preview frame as bytes (see [`encode_frame`]).
async fn frame(
    State(c): State<Ctx>,
    Path(id): Path<String>,
    Query(q): Query<FrameQuery>,
) -> ApiResult<impl IntoResponse> {
    let bytes = blocking(&c.app, move |a| a.frame(&id, q.t, q.max_width).map(|f| encode_frame(&f))).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], Bytes::from(bytes)))
}

async fn playback(State(c): State<Ctx>, Path(id): Path<String>) -> impl IntoResponse {
    Json(c.app.playback(&id))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PlayRequest {
    #[serde(default)]
    from_us: Option<i64>,
}

/// `{"fromUs": µs}` (optional: without it, play resumes where it was). The first play after an
/// edit mixes the soundtrack, so it runs off the async workers.
async fn play(State(c): State<Ctx>, Path(id): Path<String>, body: Bytes) -> ApiResult<impl IntoResponse> {
    let req: PlayRequest = if body.is_empty() {
        PlayRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::new(400, transport::BAD_REQUEST, e.to_string()))?
    };
    Ok(Json(blocking(&c.app, move |a| a.play(&id, req.from_us)).await?))
}

async fn pause(State(c): State<Ctx>, Path(id): Path<String>) -> impl IntoResponse {
    Json(c.app.pause(&id))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeekRequest {
    time_us: i64,
}

async fn seek_playback(State(c): State<Ctx>, Path(id): Path<String>, Json(r): Json<SeekRequest>) -> impl IntoResponse {
    Json(c.app.seek_playback(&id, r.time_us))
}

async fn start_export(
    State(c): State<Ctx>,
    Path(id): Path<String>,
    Json(req): Json<ExportRequest>,
) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::ACCEPTED, Json(blocking(&c.app, move |a| a.start_export(&id, &req)).await?)))
}

#[derive(Deserialize)]
struct FileQuery {
    /// `json` (default) or `bundle`.
    #[serde(default)]
    format: Option<String>,
}

/// The project file as a download: `?format=json` (the document) or `?format=bundle` (a zip with
/// its media), named after the project.
async fn project_file(
    State(c): State<Ctx>,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> ApiResult<impl IntoResponse> {
    let bundle = match q.format.as_deref() {
        None | Some("json") => false,
        Some("bundle") => true,
        Some(other) => {
            return Err(ApiError::new(
                400,
                transport::BAD_REQUEST,
                format!("format must be json or bundle, not {other:?}"),
            ));
        }
    };
    let (name, bytes) = blocking(&c.app, move |a| a.export_bytes(&id, bundle)).await?;
    let mime = if bundle { "application/zip" } else { "application/json" };
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, content_disposition(&name))], bytes))
}

/// `attachment` with an ASCII `filename` for old clients and the exact UTF-8 name in
/// `filename*` (RFC 6266 / 5987), so "Snow day ☃" survives the download.
fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let ascii = ascii.replace(['"', '\\'], "_");
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Raw file bytes in the body (a `.chatframe.json` or a `.chatframe` bundle), its name in `?name=`.
async fn import(State(c): State<Ctx>, Query(q): Query<MediaQuery>, body: Bytes) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(blocking(&c.app, move |a| a.import_bytes(&q.name, &body)).await?)))
}

#[derive(Deserialize)]
struct MediaQuery {
    #[serde(default)]
    name: String,
}

/// Raw file bytes in the body, the original file name in `?name=`.
async fn add_media(State(c): State<Ctx>, Query(q): Query<MediaQuery>, body: Bytes) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(blocking(&c.app, move |a| a.add_media(&q.name, &body)).await?)))
}

async fn exports(State(c): State<Ctx>) -> impl IntoResponse {
    Json(c.app.exports())
}

async fn voices(State(c): State<Ctx>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, |a| a.voices()).await?))
}

/// `{"voice": {"id", "pitch", "rate", "volume"}, "text": "..."}`: the line through the transport.
#[derive(Deserialize)]
struct VoiceSample {
    voice: chatframe_studio::model::VoiceSettings,
    text: String,
}

async fn play_voice_sample(State(c): State<Ctx>, Json(req): Json<VoiceSample>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.play_voice_sample(&req.voice, &req.text)).await?))
}

async fn generate_voice(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.generate_voice(&id)).await?))
}

async fn voice_job(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.voice_job(&id)).await?))
}

async fn cancel_voice(State(c): State<Ctx>, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.cancel_voice(&id)).await?))
}

async fn cancel_export(State(c): State<Ctx>, Path(job): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(Json(c.app.cancel_export(&job)?))
}

async fn reveal_export(State(c): State<Ctx>, Path(job): Path<String>) -> ApiResult<StatusCode> {
    blocking(&c.app, move |a| a.reveal_export(&job)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ExportNameQuery {
    format: String,
    folder: Option<String>,
}

async fn export_name(
    State(c): State<Ctx>,
    Path(id): Path<String>,
    Query(q): Query<ExportNameQuery>,
) -> ApiResult<impl IntoResponse> {
    Ok(Json(blocking(&c.app, move |a| a.suggest_export_name(&id, &q.format, q.folder.as_deref())).await?))
}

/// A frame request on the preview socket: `{"project": id, "t": µs, "maxWidth": px}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FrameRequest {
    project: String,
    t: i64,
    #[serde(default)]
    max_width: u32,
    /// An edit to apply (and persist) first. The reply is then a text message `{"edit":
    /// EditResult}` followed by the frame of the edited document: one round trip for an edit and
    /// its picture, where a command and a frame request took two.
    #[serde(default)]
    apply: Option<EditOp>,
    /// With `apply`: the frame shows the last message the edit touched (at its `seekUs`)
    /// instead of `t`, which is what an editor following a new message wants.
    #[serde(default)]
    follow: bool,
}

/// The preview socket: one binary frame answers each request, no HTTP overhead per frame (about
/// 2.4x faster than IPC for RGBA frames in WebKitGTK, see RECIPES). Errors come back as text.
async fn ws(State(c): State<Ctx>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.max_message_size(64 * 1024).on_upgrade(move |socket| preview_socket(c.app, socket))
}

async fn preview_socket(app: Arc<App>, mut socket: WebSocket) {
    let error = |e: ApiError| Message::Text(serde_json::to_string(&e.payload).unwrap_or_default().into());
    let studio_error = |e: chatframe_studio::StudioError| error(e.into());
    while let Some(Ok(msg)) = socket.recv().await {
        let Message::Text(text) = msg else { continue };
        let replies = match serde_json::from_str::<FrameRequest>(&text) {
            Ok(FrameRequest { project, t, max_width, apply: Some(op), follow }) => {
                match blocking(&app, move |a| {
                    let edit = a.apply(&project, op)?;
                    let at = match edit.changes.messages.last() {
                        Some(m) if follow => m.seek_us,
                        _ => t,
                    };
                    let frame = a.frame(&project, at.clamp(0, edit.duration_us), max_width);
                    Ok::<_, ApiError>((edit, frame))
                })
                .await
                {
                    Ok((edit, frame)) => vec![
                        Message::Text(serde_json::json!({ "edit": edit }).to_string().into()),
                        frame.map_or_else(studio_error, |f| Message::Binary(Bytes::from(encode_frame(&f)))),
                    ],
                    Err(e) => vec![error(e)],
                }
            }
            Ok(r) => vec![match blocking(&app, move |a| a.frame(&r.project, r.t, r.max_width)).await {
                Ok(f) => Message::Binary(Bytes::from(encode_frame(&f))),
                Err(e) => error(e),
            }],
            Err(e) => vec![error(ApiError::new(400, transport::BAD_REQUEST, e.to_string()))],
        };
        for reply in replies {
            if socket.send(reply).await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_keeps_unicode_names_in_filename_star() {
        assert_eq!(
            super::content_disposition("Snow day ☃.chatframe"),
            "attachment; filename=\"Snow day _.chatframe\"; filename*=UTF-8''Snow%20day%20%E2%98%83.chatframe"
        );
        assert_eq!(chatframe_studio::project_file_name("a/b: \"c\"", true), "a_b_ _c_.chatframe");
        assert_eq!(chatframe_studio::project_file_name("  ", false), "project.chatframe.json");
    }
}
