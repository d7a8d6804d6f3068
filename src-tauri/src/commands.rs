//! The app's commands: each forwards to one `chatframe_studio::App` method on a blocking thread
//! (SQLite and rendering must never stall the webview's event loop).

use std::sync::Arc;

use chatframe_studio::{App, AppResult, Catalog, ExportJob, ExportRequest};
use chatframe_studio::{
    CreateProject, EditOp, EditResult, ErrorPayload, Marker, MediaInfo, PlaybackState, ProjectSummary, SessionState,
    VoiceCatalog, VoiceJob, model::VoiceSettings, transport,
};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Response;

/// Where the UI fetches preview frames: the in-process loopback server and its token.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub url: String,
    pub token: String,
}

pub struct Shared {
    pub app: Arc<App>,
    pub endpoint: Endpoint,
}

type Out<T> = Result<T, ErrorPayload>;

async fn run<T: Send + 'static>(s: State<'_, Shared>, f: impl FnOnce(&App) -> AppResult<T> + Send + 'static) -> Out<T> {
    let app = s.app.clone();
    match tauri::async_runtime::spawn_blocking(move || f(&app)).await {
        Ok(result) => result.map_err(|e| ErrorPayload::from(&e)),
        Err(e) => Err(ErrorPayload::new(transport::INTERNAL, e.to_string())),
    }
}

#[tauri::command]
fn endpoint(s: State<'_, Shared>) -> Endpoint {
    s.endpoint.clone()
}

#[tauri::command]
async fn catalog(s: State<'_, Shared>) -> Out<Catalog> {
    run(s, |a| Ok(a.catalog())).await
}

#[tauri::command]
async fn list_projects(s: State<'_, Shared>, query: Option<String>, trash: bool) -> Out<Vec<ProjectSummary>> {
    run(s, move |a| a.list(query.as_deref(), trash)).await
}

#[tauri::command]
async fn create_project(s: State<'_, Shared>, request: CreateProject) -> Out<ProjectSummary> {
    run(s, move |a| a.create(&request)).await
}

#[tauri::command]
async fn rename_project(s: State<'_, Shared>, id: String, name: String) -> Out<ProjectSummary> {
    run(s, move |a| a.rename(&id, &name)).await
}

#[tauri::command]
async fn duplicate_project(s: State<'_, Shared>, id: String) -> Out<ProjectSummary> {
    run(s, move |a| a.duplicate(&id)).await
}

#[tauri::command]
async fn trash_project(s: State<'_, Shared>, id: String) -> Out<()> {
    run(s, move |a| a.trash(&id)).await
}

#[tauri::command]
async fn restore_project(s: State<'_, Shared>, id: String) -> Out<()> {
    run(s, move |a| a.restore(&id)).await
}

#[tauri::command]
async fn purge_project(s: State<'_, Shared>, id: String) -> Out<()> {
    run(s, move |a| a.purge(&id)).await
}

/// The poster PNG as raw bytes.
#[tauri::command]
async fn poster(s: State<'_, Shared>, id: String) -> Out<Response> {
    run(s, move |a| a.poster(&id).map(Response::new)).await
}

#[tauri::command]
async fn open_project(s: State<'_, Shared>, id: String, markers: Option<bool>) -> Out<SessionState> {
    run(s, move |a| a.open_project(&id, markers.unwrap_or(true))).await
}

#[tauri::command]
async fn close_project(s: State<'_, Shared>, id: String) -> Out<()> {
    run(s, move |a| {
        a.close_project(&id);
        Ok(())
    })
    .await
}

#[tauri::command]
async fn apply_op(s: State<'_, Shared>, id: String, op: EditOp) -> Out<EditResult> {
    run(s, move |a| a.apply(&id, op)).await
}

#[tauri::command]
async fn undo(s: State<'_, Shared>, id: String) -> Out<Option<EditResult>> {
    run(s, move |a| a.undo(&id)).await
}

#[tauri::command]
async fn redo(s: State<'_, Shared>, id: String) -> Out<Option<EditResult>> {
    run(s, move |a| a.redo(&id)).await
}

#[tauri::command]
async fn markers(s: State<'_, Shared>, id: String) -> Out<Vec<Marker>> {
    run(s, move |a| a.markers(&id)).await
}

#[tauri::command]
async fn seek_to_message(s: State<'_, Shared>, id: String, message: String) -> Out<i64> {
    run(s, move |a| a.seek_to_message(&id, &message)).await
}

/// A preview frame over IPC (raw bytes, see `chatframe_studio::encode_frame`): the slower path,
/// kept to measure against the WebSocket.
#[tauri::command]
async fn preview_frame(s: State<'_, Shared>, id: String, t: i64, max_width: u32) -> Out<Response> {
    run(s, move |a| a.frame(&id, t, max_width).map(|f| Response::new(chatframe_studio::encode_frame(&f)))).await
}

/// Plays from `from_us` (or from where it was); the first play after an edit mixes the sound.
#[tauri::command]
async fn play(s: State<'_, Shared>, id: String, from_us: Option<i64>) -> Out<PlaybackState> {
    run(s, move |a| a.play(&id, from_us)).await
}

#[tauri::command]
async fn pause(s: State<'_, Shared>, id: String) -> Out<PlaybackState> {
    run(s, move |a| Ok(a.pause(&id))).await
}

#[tauri::command]
async fn seek_playback(s: State<'_, Shared>, id: String, time_us: i64) -> Out<PlaybackState> {
    run(s, move |a| Ok(a.seek_playback(&id, time_us))).await
}

/// Polled every animation frame while playing. Off the main thread all the same: the first
/// play holds the transport while it opens the audio device.
#[tauri::command]
async fn playback_state(s: State<'_, Shared>, id: String) -> Out<PlaybackState> {
    run(s, move |a| Ok(a.playback(&id))).await
}

/// A file sent as the raw request body (no JSON array of numbers for a bundle of photos), its
/// name URI-encoded in the `x-file-name` header. Uploads go over IPC, not `fetch` to the
/// in-process server: the webview's origin is not the server's, so a fetch would need CORS.
fn raw_file(request: &tauri::ipc::Request<'_>) -> Out<(String, Vec<u8>)> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ErrorPayload::new(transport::BAD_REQUEST, "send the file's bytes as the body"));
    };
    let name =
        request.headers().get("x-file-name").and_then(|v| v.to_str().ok()).map(percent_decode).unwrap_or_default();
    Ok((name, bytes.clone()))
}

#[tauri::command]
async fn import_project(s: State<'_, Shared>, request: tauri::ipc::Request<'_>) -> Out<ProjectSummary> {
    let (name, bytes) = raw_file(&request)?;
    run(s, move |a| a.import_bytes(&name, &bytes)).await
}

/// Copies a picked photo, avatar or music file into the library's media store.
#[tauri::command]
async fn add_media(s: State<'_, Shared>, request: tauri::ipc::Request<'_>) -> Out<MediaInfo> {
    let (name, bytes) = raw_file(&request)?;
    run(s, move |a| a.add_media(&name, &bytes)).await
}

/// Asks where to save with the system's save dialog, then writes the project there (a bundle for
/// `bundle`, else the document). `None` when the user cancels. The dialog runs here, not in
/// the webview, so the window needs no dialog or file-system permission at all.
#[tauri::command]
async fn save_project_file(
    s: State<'_, Shared>,
    app: tauri::AppHandle,
    id: String,
    bundle: bool,
) -> Out<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    run(s, move |a| {
        let summary = a.list(None, false)?.into_iter().find(|p| p.id == id);
        let name = chatframe_studio::project_file_name(summary.as_ref().map_or("project", |p| &p.meta.name), bundle);
        let (label, ext) = if bundle { ("Chatframe bundle", "chatframe") } else { ("Chatframe project", "json") };
        let picked = app.dialog().file().set_file_name(&name).add_filter(label, &[ext]).blocking_save_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
        let path = with_extension(path, bundle);
        a.export_file(&id, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// The studio picks the format by extension: make the chosen name say what the user asked for.
fn with_extension(path: std::path::PathBuf, bundle: bool) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let fixed = match bundle {
        true if !name.ends_with(".chatframe") => format!("{name}.chatframe"),
        false if !name.ends_with(".json") => format!("{name}.chatframe.json"),
        _ => return path,
    };
    path.with_file_name(fixed)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tauri::command]
async fn start_export(s: State<'_, Shared>, id: String, request: ExportRequest) -> Out<ExportJob> {
    run(s, move |a| a.start_export(&id, &request)).await
}

#[tauri::command]
async fn list_exports(s: State<'_, Shared>) -> Out<Vec<ExportJob>> {
    run(s, |a| Ok(a.exports())).await
}

#[tauri::command]
async fn cancel_export(s: State<'_, Shared>, job: String) -> Out<ExportJob> {
    run(s, move |a| a.cancel_export(&job)).await
}

#[tauri::command]
async fn reveal_export(s: State<'_, Shared>, job: String) -> Out<()> {
    run(s, move |a| a.reveal_export(&job)).await
}

#[tauri::command]
async fn suggest_export_name(s: State<'_, Shared>, id: String, format: String, folder: Option<String>) -> Out<String> {
    run(s, move |a| a.suggest_export_name(&id, &format, folder.as_deref())).await
}

/// The system's folder picker, opened at `start`; `None` when the user cancels. Runs here, not
/// in the webview, so the window needs no dialog permission.
#[tauri::command]
async fn pick_folder(s: State<'_, Shared>, app: tauri::AppHandle, start: Option<String>) -> Out<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    run(s, move |_| {
        let mut dialog = app.dialog().file().set_title("Export to folder");
        if let Some(dir) = start.map(std::path::PathBuf::from).filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        Ok(dialog.blocking_pick_folder().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
    })
    .await
}

/// Ctrl+Q. Every edit is written to the store before it is acknowledged, so no edit is waiting
/// and the app can exit at once.
#[tauri::command]
fn quit(app: tauri::AppHandle) {
    app.exit(0);
}

#[tauri::command]
async fn voices(s: State<'_, Shared>) -> Out<VoiceCatalog> {
    run(s, |a| a.voices()).await
}

#[tauri::command]
async fn play_voice_sample(s: State<'_, Shared>, voice: VoiceSettings, text: String) -> Out<PlaybackState> {
    run(s, move |a| a.play_voice_sample(&voice, &text)).await
}

#[tauri::command]
async fn generate_voice(s: State<'_, Shared>, id: String) -> Out<VoiceJob> {
    run(s, move |a| a.generate_voice(&id)).await
}

#[tauri::command]
async fn voice_job(s: State<'_, Shared>, id: String) -> Out<Option<VoiceJob>> {
    run(s, move |a| a.voice_job(&id)).await
}

#[tauri::command]
async fn cancel_voice(s: State<'_, Shared>, id: String) -> Out<Option<VoiceJob>> {
    run(s, move |a| a.cancel_voice(&id)).await
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        endpoint,
        catalog,
        list_projects,
        create_project,
        rename_project,
        duplicate_project,
        trash_project,
        restore_project,
        purge_project,
        poster,
        open_project,
        close_project,
        apply_op,
        undo,
        redo,
        markers,
        seek_to_message,
        preview_frame,
        play,
        pause,
        seek_playback,
        playback_state,
        import_project,
        add_media,
        save_project_file,
        start_export,
        list_exports,
        cancel_export,
        reveal_export,
        suggest_export_name,
        pick_folder,
        voices,
        play_voice_sample,
        generate_voice,
        voice_job,
        cancel_voice,
        quit,
    ]
}
