//! TypeScript bindings for the UI, generated from the Rust types' JSON Schemas (schemars).
//!
//! The model's types derive `JsonSchema` themselves. The studio's and store's wire types do not
//! (yet), so their schema is declared here by mirror types; `_shape_checks` destructures each real
//! type exhaustively, so adding, removing or renaming a field or an `EditOp` variant there fails to
//! compile until the mirror follows. `make check-generated` diffs the output against the file in
//! `ui/src/lib/bindings/`.

use std::collections::BTreeMap;
use std::fmt::Write;

use chatframe_model::{
    Appearance, AudioSettings, Canvas, Header, Message, Participant, Platform, Project, Reaction, StatusBar, Theme,
    TimingDefaults, TimingOverride,
};
use schemars::JsonSchema;
use serde_json::Value;

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct ProjectSummary {
    id: String,
    name: String,
    platform: String,
    appearance: String,
    message_count: u32,
    duration_us: i64,
    revision: u64,
    created_at: i64,
    updated_at: i64,
    trashed_at: Option<i64>,
    poster_revision: Option<u64>,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum Template {
    Blank,
    Starter,
    Sample { name: String },
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CreateProject {
    #[serde(default)]
    name: Option<String>,
    template: Template,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
enum EditOp {
    SetName { name: String },
    AddMessage { index: Option<usize>, message: Message },
    UpdateMessage { message: Message },
    SetMessageText { id: String, text: String },
    DeleteMessage { id: String },
    MoveMessage { id: String, to: usize },
    SetSender { id: String, sender: Option<String> },
    SetMessageTiming { id: String, timing: TimingOverride },
    AddReaction { id: String, index: Option<usize>, reaction: Reaction },
    RemoveReaction { id: String, index: usize },
    AddParticipant { index: Option<usize>, participant: Participant },
    UpdateParticipant { participant: Participant },
    RemoveParticipant { id: String },
    MoveParticipant { id: String, to: usize },
    SetTheme { theme: Theme },
    SetPlatform { platform: Platform },
    SetAppearance { appearance: Appearance },
    SetHeader { header: Header },
    SetStatusBar { status_bar: StatusBar },
    SetCanvas { canvas: Canvas },
    SetTiming { timing: TimingDefaults },
    SetAudio { audio: AudioSettings },
    Batch { ops: Vec<EditOp> },
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct MessageAt {
    index: usize,
    message: Message,
    seek_us: i64,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Changes {
    messages: Vec<MessageAt>,
    removed_messages: Vec<String>,
    order: bool,
    participants: bool,
    theme: bool,
    canvas: bool,
    timing: bool,
    audio: bool,
    name: bool,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct EditResult {
    revision: u64,
    changes: Changes,
    can_undo: bool,
    can_redo: bool,
    duration_us: i64,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Marker {
    id: String,
    index: usize,
    start_us: i64,
    appear_us: i64,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SessionState {
    id: String,
    revision: u64,
    project: Project,
    can_undo: bool,
    can_redo: bool,
    duration_us: i64,
    markers: Vec<Marker>,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorPayload {
    code: String,
    message: String,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct MediaInfo {
    hash: String,
    ext: String,
    size: u64,
    name: Option<String>,
    rel_path: String,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
/// What the transport is doing; the preview draws the frame at `positionUs`.
struct PlaybackState {
    /// The project whose soundtrack is loaded (null: nothing is).
    project: Option<String>,
    playing: bool,
    /// The audio device's position (the monotonic clock when silent), in microseconds.
    position_us: i64,
    duration_us: i64,
    /// The document revision the soundtrack was mixed from.
    revision: u64,
    /// True when no sound comes out (no audio device, or sound turned off).
    silent: bool,
    silent_reason: Option<String>,
}

/// What to export. `format` is `mp4`, `webm`, `mov`, `gif`, `png`, `wav` or `srt`.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct ExportRequest {
    format: String,
    /// e.g. `9x16-1080p`; the project's canvas when absent.
    #[serde(default)]
    preset: Option<String>,
    #[serde(default)]
    fps: Option<u32>,
    /// The output file, as given (scripts). When absent the file goes in `folder` and is named
    /// `name`.
    #[serde(default)]
    path: Option<String>,
    /// The folder to write into (created if missing); the queue's export folder when absent.
    #[serde(default)]
    folder: Option<String>,
    /// The file name, with or without the format's extension; when absent, the project's name
    /// made unique in the folder (`Name 2.mp4`).
    #[serde(default)]
    name: Option<String>,
    /// Replace a file of that `name` that already exists; without it such a request fails with
    /// `FILE_EXISTS` and changes nothing.
    #[serde(default)]
    overwrite: bool,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
enum ExportState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

/// An export as the UI shows it in the queue.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
struct ExportJob {
    id: String,
    project_id: String,
    project_name: String,
    format: String,
    preset: Option<String>,
    path: String,
    state: ExportState,
    frames_done: u64,
    total_frames: u64,
    /// Seconds left at the rate so far; absent before the first frame.
    eta_seconds: Option<f64>,
    elapsed_seconds: f64,
    error: Option<ErrorPayload>,
}

/// Compile-time proof that the mirrors above match the real types (never called).
#[allow(dead_code, unused_variables, clippy::too_many_arguments)]
fn _shape_checks(
    s: chatframe_studio::ProjectSummary,
    c: chatframe_studio::CreateProject,
    t: chatframe_studio::Template,
    op: chatframe_studio::EditOp,
    r: chatframe_studio::EditResult,
    m: chatframe_studio::Marker,
    st: chatframe_studio::SessionState,
    e: chatframe_studio::ErrorPayload,
    mi: chatframe_studio::MediaInfo,
    pb: chatframe_studio::PlaybackState,
    xr: chatframe_studio::ExportRequest,
    xs: chatframe_studio::ExportState,
    xj: chatframe_studio::ExportJob,
) {
    use chatframe_studio::EditOp as O;
    let chatframe_studio::ProjectSummary { id, meta, revision, created_at, updated_at, trashed_at, poster_revision } =
        s;
    let chatframe_studio::ProjectMeta { name, platform, appearance, message_count, duration_us } = meta;
    let chatframe_studio::CreateProject { name, template } = c;
    match t {
        chatframe_studio::Template::Blank | chatframe_studio::Template::Starter => {}
        chatframe_studio::Template::Sample { name } => {}
    }
    match op {
        O::SetName { name } => {}
        O::AddMessage { index, message } => {}
        O::UpdateMessage { message } => {}
        O::SetMessageText { id, text } => {}
        O::DeleteMessage { id } => {}
        O::MoveMessage { id, to } => {}
        O::SetSender { id, sender } => {}
        O::SetMessageTiming { id, timing } => {}
        O::AddReaction { id, index, reaction } => {}
        O::RemoveReaction { id, index } => {}
        O::AddParticipant { index, participant } => {}
        O::UpdateParticipant { participant } => {}
        O::RemoveParticipant { id } => {}
        O::MoveParticipant { id, to } => {}
        O::SetTheme { theme } => {}
        O::SetPlatform { platform } => {}
        O::SetAppearance { appearance } => {}
        O::SetHeader { header } => {}
        O::SetStatusBar { status_bar } => {}
        O::SetCanvas { canvas } => {}
        O::SetTiming { timing } => {}
        O::SetAudio { audio } => {}
        O::Batch { ops } => {}
    }
    let chatframe_studio::EditResult { revision, changes, can_undo, can_redo, duration_us } = r;
    let chatframe_studio::Changes {
        messages,
        removed_messages,
        order,
        participants,
        theme,
        canvas,
        timing,
        audio,
        name,
    } = changes;
    let chatframe_studio::MessageAt { index, message, seek_us } = messages.into_iter().next().expect("shape only");
    let chatframe_studio::Marker { id, index, start_us, appear_us } = m;
    let chatframe_studio::SessionState { id, revision, project, can_undo, can_redo, duration_us, markers } = st;
    let chatframe_studio::ErrorPayload { code, message } = e;
    let chatframe_studio::MediaInfo { hash, ext, size, name, rel_path } = mi;
    let chatframe_studio::PlaybackState { project, playing, position_us, duration_us, revision, silent, silent_reason } =
        pb;
    let chatframe_studio::ExportRequest { format, preset, fps, path, folder, name, overwrite } = xr;
    use chatframe_studio::ExportState as X;
    match xs {
        X::Queued | X::Running | X::Done | X::Failed | X::Cancelled => {}
    }
    let chatframe_studio::ExportJob {
        id,
        project_id,
        project_name,
        format,
        preset,
        path,
        state,
        frames_done,
        total_frames,
        eta_seconds,
        elapsed_seconds,
        error,
    } = xj;
}

/// Every exported type's schema, keyed by TypeScript name.
fn schemas() -> Vec<(&'static str, Value)> {
    fn s<T: JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialize")
    }
    vec![
        ("Project", s::<Project>()),
        ("ProjectSummary", s::<ProjectSummary>()),
        ("CreateProject", s::<CreateProject>()),
        ("EditOp", s::<EditOp>()),
        ("EditResult", s::<EditResult>()),
        ("SessionState", s::<SessionState>()),
        ("ErrorPayload", s::<ErrorPayload>()),
        ("MediaInfo", s::<MediaInfo>()),
        ("PlaybackState", s::<PlaybackState>()),
        ("Catalog", s::<crate::Catalog>()),
        ("ExportRequest", s::<ExportRequest>()),
        ("ExportJob", s::<ExportJob>()),
    ]
}

/// The whole bindings file.
pub fn typescript() -> String {
    let mut defs: BTreeMap<String, Value> = BTreeMap::new();
    for (name, mut schema) in schemas() {
        point_root_refs(&mut schema, name);
        if let Some(Value::Object(d)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
            defs.extend(d);
        }
        defs.insert(name.to_string(), schema);
    }
    let mut out = String::from(
        "// Generated by `chatframe-api bindings` from the Rust types. Do not edit:\n\
         // `make regenerate` rewrites it and `make check-generated` fails when it is stale.\n\n",
    );
    for (name, schema) in &defs {
        if let Some(doc) = schema.get("description").and_then(Value::as_str) {
            let _ = writeln!(out, "/** {} */", doc.replace("*/", "* /").replace('\n', "\n * "));
        }
        let _ = writeln!(out, "export type {name} = {};\n", ts(schema, 0));
    }
    out
}

/// A recursive type refers to itself as `"$ref": "#"` (the document root); name it instead.
fn point_root_refs(v: &mut Value, name: &str) {
    match v {
        Value::Object(o) => {
            if o.get("$ref").and_then(Value::as_str) == Some("#") {
                o.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
            }
            o.values_mut().for_each(|c| point_root_refs(c, name));
        }
        Value::Array(a) => a.iter_mut().for_each(|c| point_root_refs(c, name)),
        _ => {}
    }
}

fn indent(n: usize) -> String {
    "  ".repeat(n)
}

/// One schema as a TypeScript type expression (the subset schemars emits for serde types).
fn ts(s: &Value, depth: usize) -> String {
    let Some(o) = s.as_object() else {
        return if s == &Value::Bool(false) { "never".into() } else { "unknown".into() };
    };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or("unknown").to_string();
    }
    if let Some(c) = o.get("const") {
        return c.to_string();
    }
    if let Some(Value::Array(values)) = o.get("enum") {
        return values.iter().map(Value::to_string).collect::<Vec<_>>().join(" | ");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = o.get(key) {
            let base = object_part(o, depth);
            let alts: Vec<String> = alts.iter().map(|a| ts(a, depth)).collect();
            let union = alts.join(" | ");
            return match base {
                Some(b) => format!("{b} & ({union})"),
                None if alts.len() > 1 => format!("({union})"),
                None => union,
            };
        }
    }
    if let Some(Value::Array(all)) = o.get("allOf") {
        return all.iter().map(|a| ts(a, depth)).collect::<Vec<_>>().join(" & ");
    }
    match o.get("type") {
        Some(Value::Array(types)) => {
            types.iter().map(|t| single(o, t.as_str().unwrap_or(""), depth)).collect::<Vec<_>>().join(" | ")
        }
        Some(Value::String(t)) => single(o, t, depth),
        _ => "unknown".into(),
    }
}

fn single(o: &serde_json::Map<String, Value>, t: &str, depth: usize) -> String {
    match t {
        "string" => "string".into(),
        "integer" | "number" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => match o.get("items") {
            Some(items) => {
                let inner = ts(items, depth);
                if inner.contains(' ') { format!("Array<{inner}>") } else { format!("{inner}[]") }
            }
            None => "unknown[]".into(),
        },
        "object" => object_part(o, depth).unwrap_or_else(|| "Record<string, unknown>".into()),
        _ => "unknown".into(),
    }
}

/// The `{ ... }` of an object schema, or `None` when it declares no properties.
fn object_part(o: &serde_json::Map<String, Value>, depth: usize) -> Option<String> {
    let props = o.get("properties")?.as_object()?;
    let required: Vec<&str> = o
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = String::from("{\n");
    for (key, schema) in props {
        if let Some(doc) = schema.get("description").and_then(Value::as_str) {
            let _ = writeln!(out, "{}/** {} */", indent(depth + 1), doc.replace("*/", "* /").replace('\n', " "));
        }
        let optional = if required.contains(&key.as_str()) { "" } else { "?" };
        let _ = writeln!(out, "{}{key}{optional}: {};", indent(depth + 1), ts(schema, depth + 1));
    }
    out.push_str(&indent(depth));
    out.push('}');
    Some(out)
}
