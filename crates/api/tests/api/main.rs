//! The automation API over real loopback HTTP: token, library, edits with undo, binary frames,
//! errors with codes. (Exports are covered end to end by the UI suites, which ffprobe the file.)

use std::io::{Read, Write};
use std::net::TcpStream;

use chatframe_api::Server;
use chatframe_studio::App;
use serde_json::{Value, json};

struct Api {
    addr: std::net::SocketAddr,
    token: String,
    _rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

/// A minimal HTTP/1.1 client: enough for JSON and byte bodies, no extra dependency.
fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let mut rest = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        rest = dechunk(&rest);
    }
    (status, rest)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let nl = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..nl]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[nl + 2..nl + 2 + size]);
        data = &data[nl + 4 + size..];
    }
}

impl Api {
    fn start() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(&dir.path().join("library.sqlite"), None, Some(dir.path().join("exports"))).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(Server::bind(app, 0, "secret-token".into(), None)).unwrap();
        let addr = server.addr;
        rt.spawn(server.run(std::future::pending()));
        Api { addr, token: "secret-token".into(), _rt: rt, _dir: dir }
    }

    fn json(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, bytes) = request(self.addr, method, path, Some(&self.token), body.as_ref());
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

#[test]
fn refuses_requests_without_the_token() {
    let api = Api::start();
    let (status, body) = request(api.addr, "GET", "/api/projects", None, None);
    assert_eq!(status, 401);
    assert!(String::from_utf8_lossy(&body).contains("UNAUTHORIZED"));
    let (status, _) = request(api.addr, "GET", "/api/projects", Some("wrong"), None);
    assert_eq!(status, 401);
}

#[test]
fn edits_undo_and_frames_over_http() {
    let api = Api::start();
    let (status, created) =
        api.json("POST", "/api/projects", Some(json!({"template": {"kind": "blank"}, "name": "Test"})));
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();

    let (status, state) = api.json("GET", &format!("/api/projects/{id}"), None);
    assert_eq!(status, 200);
    assert_eq!(state["project"]["name"], "Test");
    let me = state["project"]["participants"][0]["id"].as_str().unwrap().to_string();

    for text in ["hello", "there"] {
        let op = json!({"op": "addMessage", "message": {"sender": me, "text": text}});
        let (status, result) = api.json("POST", &format!("/api/projects/{id}/ops"), Some(op));
        assert_eq!(status, 200, "{result}");
        assert_eq!(result["canUndo"], true);
    }
    let (_, undone) = api.json("POST", &format!("/api/projects/{id}/undo"), None);
    assert_eq!(undone["canRedo"], true);
    let (_, state) = api.json("GET", &format!("/api/projects/{id}"), None);
    assert_eq!(state["project"]["messages"].as_array().unwrap().len(), 1);
    assert_eq!(state["markers"].as_array().unwrap().len(), 1);
    // The editor opens without the markers and fetches them after its first frame.
    let (_, lean) = api.json("GET", &format!("/api/projects/{id}?markers=false"), None);
    assert_eq!((lean["project"].clone(), lean["markers"].as_array().unwrap().len()), (state["project"].clone(), 0));
    let (_, markers) = api.json("GET", &format!("/api/projects/{id}/markers"), None);
    assert_eq!(markers, state["markers"]);

    // A refused edit names the problem and changes nothing.
    let bad = json!({"op": "setSender", "id": "nope", "sender": me});
    let (status, err) = api.json("POST", &format!("/api/projects/{id}/ops"), Some(bad));
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["code"], "INVALID_OP");

    let (status, frame) =
        request(api.addr, "GET", &format!("/api/projects/{id}/frame?t=900000&maxWidth=270"), Some(&api.token), None);
    assert_eq!(status, 200);
    let w = u32::from_le_bytes(frame[0..4].try_into().unwrap());
    let h = u32::from_le_bytes(frame[4..8].try_into().unwrap());
    assert_eq!((w, h), (270, 480));
    assert_eq!(frame.len(), 16 + (w * h * 4) as usize);

    let (status, png) = request(api.addr, "GET", &format!("/api/projects/{id}/poster.png"), Some(&api.token), None);
    assert_eq!(status, 200);
    assert_eq!(&png[1..4], b"PNG");

    let (status, _) = api.json("DELETE", &format!("/api/projects/{id}"), None);
    assert_eq!(status, 204);
    let (_, trash) = api.json("GET", "/api/projects?trash=true", None);
    assert_eq!(trash.as_array().unwrap().len(), 1);
    let (status, err) = api.json("GET", "/api/projects/missing", None);
    assert_eq!((status, err["code"].as_str()), (404, Some("NOT_FOUND")));
}

#[test]
fn bindings_cover_the_wire_types() {
    let ts = chatframe_api::bindings::typescript();
    for name in ["EditOp", "SessionState", "ProjectSummary", "ExportJob", "Message", "Participant"] {
        assert!(ts.contains(&format!("export type {name} =")), "{name} missing");
    }
    assert!(ts.contains("op: \"addMessage\""));
    // The codes the UI branches on are one closed list, and the payload's code is typed by it.
    let codes = ts.split("export type ErrorCode =").nth(1).expect("an ErrorCode union").split(';').next().unwrap();
    for code in ["FFMPEG_MISSING", "INVALID_EDIT", "LIBRARY_BUSY", "AUDIO_CORRUPT", "BAD_REQUEST"] {
        assert!(codes.contains(&format!("\"{code}\"")), "{code} missing from ErrorCode");
    }
    assert!(ts.contains("code: ErrorCode;"), "ErrorPayload.code is an ErrorCode");
}

#[test]
fn error_statuses_follow_the_error_kind_not_the_code() {
    use chatframe_api::ApiError;
    use chatframe_export::ExportError;
    use chatframe_studio::StudioError;
    let status = |e: StudioError| ApiError::from(e).status;
    // A machine without ffmpeg is not a bad request: the UI may offer to install it.
    assert_eq!(status(StudioError::Export(ExportError::FfmpegMissing { hint: "not on PATH".into() })), 503);
    assert_eq!(
        status(StudioError::Export(ExportError::Ffmpeg { status: "1".into(), stderr_tail: String::new() })),
        500
    );
    assert_eq!(status(StudioError::Export(ExportError::Format("avi".into()))), 422);
    assert_eq!(status(StudioError::NotFound { what: "project".into() }), 404);
    assert_eq!(status(StudioError::Trashed { id: "p".into() }), 409);
    let busy = ApiError::from(StudioError::Export(ExportError::FfmpegMissing { hint: String::new() }));
    assert_eq!(busy.payload.code, "FFMPEG_MISSING", "the code is unchanged");
}

#[test]
fn the_export_folder_is_remembered_once_an_export_was_placed_there() {
    let api = Api::start();
    let (_, created) =
        api.json("POST", "/api/projects", Some(json!({"template": {"kind": "starter"}, "name": "Snow"})));
    let id = created["id"].as_str().unwrap().to_string();
    let (_, catalog) = api.json("GET", "/api/catalog", None);
    assert!(catalog["exportDir"].as_str().unwrap().ends_with("exports"), "{catalog}");
    let (status, name) = api.json("GET", &format!("/api/projects/{id}/export-name?format=gif&folder="), None);
    assert_eq!((status, name.as_str()), (200, Some("Snow.gif")));

    let folder = api._dir.path().join("chosen");
    let req = json!({"format": "wav", "folder": folder, "name": "take one"});
    let (status, job) = api.json("POST", &format!("/api/projects/{id}/exports"), Some(req.clone()));
    assert_eq!(status, 202, "{job}");
    assert_eq!(job["path"], folder.join("take one.wav").display().to_string());
    let (_, catalog) = api.json("GET", "/api/catalog", None);
    assert_eq!(catalog["exportDir"], folder.display().to_string(), "the dialog opens on the last folder");

    // The same name again: refused as a conflict, not queued (while the first is queued or
    // running it is ALREADY_QUEUED, once written FILE_EXISTS).
    let (status, err) = api.json("POST", &format!("/api/projects/{id}/exports"), Some(req));
    assert_eq!(status, 409, "{err}");
    assert!(matches!(err["code"].as_str(), Some("FILE_EXISTS" | "ALREADY_QUEUED")), "{err}");
    let (status, err) =
        api.json("POST", &format!("/api/projects/{id}/exports"), Some(json!({"format": "wav", "folder": "rel/dir"})));
    assert_eq!((status, err["code"].as_str()), (422, Some("INVALID_FOLDER")), "{err}");
}

#[test]
fn media_uploads_land_in_the_library() {
    let api = Api::start();
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/samples/media/beach.png")).unwrap();
    let mut s = TcpStream::connect(api.addr).unwrap();
    write!(
        s,
        "POST /api/media?name=my%20beach.png HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        api.token,
        png.len()
    )
    .unwrap();
    s.write_all(&png).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 201"), "{raw}");
    assert!(raw.contains("\"relPath\":\"media/"), "{raw}");
}
