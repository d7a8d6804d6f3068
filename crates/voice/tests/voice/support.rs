use std::path::Path;

use chatframe_model::{Project, parse_project};
use chatframe_voice::{ClipCache, Engines, GenerateOptions, VoiceTrack, generate};

/// A small voiced chat: two speakers (espeak-ng and flite), no message sounds, so the only sound
/// in the mix is speech (and music when a test adds it).
pub fn voiced_project(lines: &[&str]) -> Project {
    let messages: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"sender": if i % 2 == 0 { "ann" } else { "bo" }, "text": t}))
        .collect();
    let json = serde_json::json!({
        "schemaVersion": 1,
        "canvas": {"width": 270, "height": 480, "fps": 30},
        "participants": [
            {"id": "ann", "name": "Ann", "side": "them", "voice": "espeak-ng:en-us"},
            {"id": "bo", "name": "Bo", "side": "me", "voice": {"id": "flite:slt", "rate": 1.2}}
        ],
        "messages": messages,
        "audio": {"messageSounds": false, "voiceOver": {"enabled": true, "gapMs": 400}},
        "timing": {"startDelayMs": 300, "endHoldMs": 300}
    });
    parse_project(json.to_string().as_bytes()).unwrap()
}

pub fn voice(project: &Project, cache_dir: &Path) -> (VoiceTrack, ClipCache) {
    let cache = ClipCache::new(cache_dir);
    let track = generate(project, &Engines::detect(), &cache, &GenerateOptions::default()).unwrap();
    (track, cache)
}

/// Files under `dir`, recursively.
pub fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return out };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_in(&p));
        } else {
            out.push(p);
        }
    }
    out
}
