use chatframe_model::{ModelError, parse_project};
use serde_json::{Value, json};

fn minimal() -> Value {
    json!({
        "schemaVersion": 1,
        "participants": [
            {"id": "me", "name": "Me", "side": "me"},
            {"id": "sam", "name": "Sam", "side": "them"}
        ],
        "messages": [{"sender": "sam", "text": "hi"}]
    })
}

fn parse(v: &Value) -> Result<chatframe_model::Project, ModelError> {
    parse_project(serde_json::to_vec(v).unwrap().as_slice())
}

/// Asserts the error names `path` and contains `needle`.
fn assert_problem(v: &Value, path: &str, needle: &str) {
    let err = parse(v).expect_err("must be refused");
    let found = err.problems().iter().any(|p| {
        let s = p.to_string();
        s.starts_with(&format!("{path}:")) && s.contains(needle)
    });
    assert!(found, "expected `{path}: ...{needle}...`, got: {err}");
}

#[test]
fn the_minimal_file_is_valid_and_gets_ids() {
    let p = parse(&minimal()).unwrap();
    assert_eq!(p.messages[0].id, "m1");
    assert_eq!(p.canvas.width, 1080);
}

#[test]
fn malformed_json_reports_line_and_column() {
    let err = parse_project(b"{\n  \"schemaVersion\": 1,\n  \"messages\": [,]\n}").unwrap_err();
    match err {
        ModelError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 16)),
        other => panic!("expected a syntax error, got {other}"),
    }
}

#[test]
fn unknown_sender_names_the_message() {
    let mut v = minimal();
    v["messages"][0]["sender"] = json!("ghost");
    assert_problem(&v, "messages[0].sender", "unknown participant \"ghost\"");
}

#[test]
fn a_50000_character_message_is_refused() {
    let mut v = minimal();
    v["messages"][0]["text"] = json!("a".repeat(50_000));
    assert_problem(&v, "messages[0].text", "50000 characters");
}

#[test]
fn zero_odd_and_absurd_canvas_sizes_are_refused() {
    for (w, h, path) in [(0, 1920, "canvas.width"), (1080, 100_000, "canvas.height"), (1081, 1920, "canvas.width")] {
        let mut v = minimal();
        v["canvas"] = json!({"width": w, "height": h, "fps": 30});
        assert_problem(&v, path, "");
    }
    let mut v = minimal();
    v["canvas"] = json!({"width": 1080, "height": 1920, "fps": 0});
    assert_problem(&v, "canvas.fps", "between 1 and 120");
}

#[test]
fn typos_and_wrong_types_name_the_json_path() {
    let mut v = minimal();
    v["messages"][0]["txet"] = json!("oops");
    assert_problem(&v, "messages[0].txet", "unknown field `txet`");
    let mut v = minimal();
    v["participants"][1]["side"] = json!("left");
    assert_problem(&v, "participants[1].side", "unknown variant `left`");
    let mut v = minimal();
    v["canvas"] = json!({"width": "wide", "height": 1920, "fps": 30});
    assert_problem(&v, "canvas.width", "invalid type");
    let mut v = minimal();
    v["theme"] = json!({"platform": "myspace"});
    assert_problem(&v, "theme.platform", "unknown variant `myspace`");
}

#[test]
fn image_messages_need_media_and_references_must_resolve() {
    let mut v = minimal();
    v["messages"] = json!([{"sender": "sam", "kind": "image"}]);
    assert_problem(&v, "messages[0].media", "required");
    let mut v = minimal();
    v["messages"][0]["reactions"] = json!([{"emoji": "❤️", "from": "nobody"}]);
    assert_problem(&v, "messages[0].reactions[0].from", "unknown participant");
}

#[test]
fn missing_media_files_are_named() {
    let mut v = minimal();
    v["messages"] = json!([{"sender": "sam", "kind": "image", "media": "nope.png"}]);
    v["audio"] = json!({"music": {"src": "song.mp3"}});
    let p = parse(&v).unwrap();
    let err = p.check_media(std::path::Path::new("/nonexistent-dir")).unwrap_err();
    let text: Vec<String> = err.problems().iter().map(|e| e.to_string()).collect();
    assert!(
        text.iter().any(|s| s.starts_with("messages[0].media: file not found") && s.contains("nope.png")),
        "{text:?}"
    );
    assert!(text.iter().any(|s| s.starts_with("audio.music.src: file not found")), "{text:?}");
}

#[test]
fn all_problems_are_reported_together() {
    let mut v = minimal();
    v["canvas"] = json!({"width": 0, "height": 0, "fps": 30});
    v["messages"][0]["sender"] = json!("ghost");
    let err = parse(&v).unwrap_err();
    assert_eq!(err.problems().len(), 3, "{err}");
    assert_eq!(err.code(), "INVALID_PROJECT");
}

#[test]
fn duplicate_ids_are_refused() {
    let mut v = minimal();
    v["participants"][1]["id"] = json!("me");
    assert_problem(&v, "participants[1].id", "duplicate");
}

#[test]
fn every_sample_parses_and_its_media_exists() {
    let mut n = 0;
    for entry in [super::samples_dir(), super::bench_dir()].iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".chatframe.json") {
            let loaded = chatframe_model::load_project(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            loaded.project.check_media(&loaded.base_dir).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 4, "expected the three samples and the bench fixture, found {n}");
}

#[test]
fn projects_round_trip_through_json() {
    let p = chatframe_model::starter_project("Round trip");
    let again = parse_project(p.to_json_pretty().as_bytes()).unwrap();
    assert_eq!(p, again);
}
