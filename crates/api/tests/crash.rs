//! Crash safety of the app layer: the real `chatframe-api` process (the same `App` the Tauri
//! shell wraps) runs a scripted editing session sent over HTTP; the test `kill -9`s it at a random
//! moment, reopens the library and checks `PRAGMA integrity_check` and that every edit answered
//! with HTTP 200 is there — exactly the scripted document at a revision ≥ the last acknowledged
//! one. 100 runs, one fresh library each (on tmpfs: a process crash leaves the page cache
//! intact, so fsync plays no part in what this checks; the store's own test covers that level).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatframe_studio::model::{Message, Project};
use chatframe_studio::{CreateProject, EditOp, Session, Studio, Template};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const STEPS: usize = 30;
const RUNS: usize = 100;
const TOKEN: &str = "crash-test-token";

/// One scripted request: a path under `/api/projects/{id}` and its JSON body.
#[derive(Clone)]
struct Req {
    path: &'static str,
    body: Value,
}

/// The script, step `i`: deterministic given the document, so the reference run in this process
/// yields the exact requests the API receives (explicit message ids keep replays identical).
/// Returns the request and applies the same change to the reference session.
fn step(i: usize, s: &mut Session) -> Req {
    let p = s.project().clone();
    let (req, op) = match i % 9 {
        4 if s.can_undo() => {
            s.undo().unwrap().unwrap();
            return Req { path: "undo", body: Value::Null };
        }
        7 if s.can_redo() => {
            s.redo().unwrap().unwrap();
            return Req { path: "redo", body: Value::Null };
        }
        5 => {
            // Through the rename endpoint, which edits via the open session.
            let name = format!("name {i}");
            (Req { path: "rename", body: json!({ "name": name }) }, EditOp::SetName { name })
        }
        0 | 3 | 6 => {
            let sender = if i.is_multiple_of(2) { "me" } else { "sam" };
            let message = Message {
                id: format!("c{i}"),
                sender: Some(sender.into()),
                text: format!("line {i} {}", "lorem ipsum ".repeat(i % 4)),
                ..Message::default()
            };
            op_req(EditOp::AddMessage { index: Some(i % (p.messages.len() + 1)), message })
        }
        1 => op_req(EditOp::SetMessageText {
            id: p.messages[i % p.messages.len()].id.clone(),
            text: format!("edit {i}"),
        }),
        2 if p.messages.len() > 3 => op_req(EditOp::DeleteMessage { id: p.messages[i % p.messages.len()].id.clone() }),
        _ => op_req(EditOp::MoveMessage { id: p.messages[0].id.clone(), to: p.messages.len() - 1 }),
    };
    s.apply(op).unwrap();
    req
}

fn op_req(op: EditOp) -> (Req, EditOp) {
    (Req { path: "ops", body: serde_json::to_value(&op).unwrap() }, op)
}

fn normalized(p: &Project) -> Project {
    Project { id: String::new(), ..p.clone() }
}

fn new_library(dir: &Path) -> (Studio, String) {
    let mut studio = Studio::open(&dir.join("library.sqlite")).unwrap();
    let id = studio.create(&CreateProject { name: Some("crash".into()), template: Template::Starter }).unwrap().id;
    (studio, id)
}

fn temp_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm).unwrap() } else { tempfile::tempdir().unwrap() }
}

/// POST with a JSON body over a fresh loopback connection; `Some(revision)` only for a complete
/// HTTP 200 response, `None` for anything else (refused, reset, cut short by the kill).
fn post(addr: SocketAddr, path: &str, body: &Value) -> Option<u64> {
    let mut s = TcpStream::connect(addr).ok()?;
    let body = if body.is_null() { String::new() } else { body.to_string() };
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    if !head.starts_with("http/1.1 200") {
        return None;
    }
    let len: usize = head.lines().find_map(|l| l.strip_prefix("content-length:"))?.trim().parse().ok()?;
    let body = raw.get(split + 4..split + 4 + len)?;
    serde_json::from_slice::<Value>(body).ok()?.get("revision")?.as_u64()
}

fn spawn_api(library: &Path, exports: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatframe-api"))
        .arg("--library")
        .arg(library)
        .arg("--export-dir")
        .arg(exports)
        .env("CHATFRAME_API_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("chatframe-api said {line:?}: {e}"));
    let port = info["port"].as_u64().unwrap() as u16;
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

#[test]
fn kill_9_of_the_api_process_never_loses_an_acknowledged_edit() {
    // The requests, and the expected document at every revision, from the script run in-process.
    let reference = temp_dir();
    let (studio, id) = new_library(reference.path());
    let mut s = studio.open_project(&id).unwrap();
    let mut states = vec![normalized(s.project())];
    let mut script = Vec::new();
    for i in 0..STEPS {
        script.push(step(i, &mut s));
        assert_eq!(s.revision() as usize, i + 1, "every scripted step bumps the revision");
        states.push(normalized(s.project()));
    }
    let script = Arc::new(script);

    let seed = std::env::var("CF_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("api crash test seed {seed} (CF_CRASH_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let (mut killed_mid_run, mut max_acked, mut total_acked) = (0, 0, 0);
    for run in 0..RUNS {
        let dir = temp_dir();
        let library = dir.path().join("library.sqlite");
        let (studio, id) = new_library(dir.path());
        drop(studio);
        let (mut child, addr) = spawn_api(&library, &dir.path().join("exports"));

        // The client runs the script on its own thread and publishes each acknowledged revision;
        // this thread kills the server after a random number of acks plus 0–3 ms, so the kill
        // lands anywhere: between requests, mid-request, inside the transaction.
        let acked = Arc::new(AtomicU64::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let client = {
            let (acked, finished, script, id) = (acked.clone(), finished.clone(), script.clone(), id.clone());
            std::thread::spawn(move || {
                for req in script.iter() {
                    match post(addr, &format!("/api/projects/{id}/{}", req.path), &req.body) {
                        Some(revision) => acked.store(revision, Ordering::SeqCst),
                        None => return,
                    }
                }
                finished.store(true, Ordering::SeqCst);
            })
        };
        let kill_after = rng.random_range(0..STEPS as u64);
        while acked.load(Ordering::SeqCst) < kill_after && !finished.load(Ordering::SeqCst) && !client.is_finished() {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..3_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        client.join().unwrap();
        let acked = acked.load(Ordering::SeqCst);
        if !finished.load(Ordering::SeqCst) {
            killed_mid_run += 1;
        }
        max_acked = max_acked.max(acked);
        total_acked += acked;

        let mut studio = Studio::open(&library).unwrap();
        if let Err(problems) = studio.store().integrity_check() {
            panic!("run {run} (seed {seed}): integrity_check failed: {problems:?}");
        }
        let s = studio.open_project(&id).unwrap();
        let rev = s.revision();
        assert!(rev >= acked, "run {run} (seed {seed}): acknowledged revision {acked} lost, found {rev}");
        assert!(rev as usize <= STEPS, "run {run} (seed {seed}): revision {rev} beyond the script");
        assert_eq!(
            normalized(s.project()),
            states[rev as usize],
            "run {run} (seed {seed}): document at revision {rev}"
        );
    }
    eprintln!(
        "api crash test: {RUNS} kill -9s, {killed_mid_run} mid-script, {total_acked} acknowledged edits checked \
         (up to {max_acked} per run), {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(killed_mid_run >= RUNS / 2, "most runs must be killed before the script ends ({killed_mid_run})");
}
