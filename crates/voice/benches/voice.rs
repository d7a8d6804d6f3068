//! Voice-over cost for a 40-line project (`cargo bench -p chatframe-voice --bench voice`):
//! a cold cache's synthesis time per line, a warm cache's lookup, the extra mixing, and what they
//! add to the export of the same video. Figures go to docs/BENCHMARKS.md.

use std::time::{Duration, Instant};

use chatframe_audio::{NoVoice, mix_with_voice};
use chatframe_export::{ExportOptions, Format, prepare_with_voice, timeline_with_voice};
use chatframe_model::parse_project;
use chatframe_voice::{ClipCache, Engines, GenerateOptions, generate};

const LINES: [&str; 8] = [
    "Are you still up?",
    "Yeah, why? Did something happen?",
    "You will not believe what I just saw outside 😳",
    "Tell me!!!",
    "The neighbours' dog is wearing a raincoat and boots.",
    "No way, send a picture right now",
    "Too late, it went back inside. But it looked so proud.",
    "Honestly, that is the best news all week.",
];

fn project(lines: usize) -> chatframe_model::Project {
    let messages: Vec<serde_json::Value> = (0..lines)
        .map(|i| {
            let text = format!("{} ({})", LINES[i % LINES.len()], i + 1);
            serde_json::json!({"sender": if i % 2 == 0 { "ann" } else { "bo" }, "text": text})
        })
        .collect();
    let json = serde_json::json!({
        "schemaVersion": 1,
        "canvas": {"width": 1080, "height": 1920, "fps": 30},
        "participants": [
            {"id": "ann", "name": "Ann", "side": "them", "voice": "espeak-ng:en-us+f3"},
            {"id": "bo", "name": "Bo", "side": "me", "voice": "flite:slt"}
        ],
        "messages": messages,
        "audio": {"voiceOver": {"enabled": true}}
    });
    parse_project(json.to_string().as_bytes()).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let p = project(40);
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cache");
    let engines = Engines::detect();

    let started = Instant::now();
    let cache = ClipCache::new(&cache_dir);
    let cold = generate(&p, &engines, &cache, &GenerateOptions::default()).unwrap();
    let cold_wall = started.elapsed();
    let per_line: Vec<Duration> = cold.lines().iter().map(|l| l.elapsed).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let audio_s: f64 = cold.lines().iter().map(|l| l.frames as f64 / 48_000.0).sum();
    println!(
        "cold: {} lines, {} synthesised on {threads} threads in {:.2} s wall; per line median {:.0} ms, max {:.0} ms; {:.1} s of speech",
        cold.lines().len(),
        cache.syntheses(),
        cold_wall.as_secs_f64(),
        median(per_line.clone()).as_secs_f64() * 1e3,
        per_line.iter().max().unwrap().as_secs_f64() * 1e3,
        audio_s
    );
    for (engine, prefix) in [("espeak-ng", 0), ("flite", 1)] {
        let v: Vec<Duration> = cold.lines().iter().filter(|l| l.index % 2 == prefix).map(|l| l.elapsed).collect();
        println!("  {engine}: median {:.0} ms per line", median(v).as_secs_f64() * 1e3);
    }

    let warm: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let cache = ClipCache::new(&cache_dir);
            generate(&p, &engines, &cache, &GenerateOptions::default()).unwrap();
            assert_eq!(cache.syntheses(), 0);
            t.elapsed()
        })
        .collect();
    let warm = median(warm);
    let track = generate(&p, &engines, &ClipCache::new(&cache_dir), &GenerateOptions::default()).unwrap();

    let tl = timeline_with_voice(&p, dir.path(), &track);
    let mixes = |voiced: bool| {
        median(
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    if voiced {
                        mix_with_voice(&p, &tl, dir.path(), &track).unwrap();
                    } else {
                        mix_with_voice(&p, &tl, dir.path(), &NoVoice).unwrap();
                    }
                    t.elapsed()
                })
                .collect(),
        )
    };
    let (mix_voice, mix_plain) = (mixes(true), mixes(false));

    let exports: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            let (mut r, audio) = prepare_with_voice(p.clone(), dir.path(), true, &track).unwrap();
            let mut opts = ExportOptions::new(Format::Mp4);
            opts.audio = audio;
            chatframe_export::export(&mut r, &dir.path().join("out.mp4"), opts, &mut |_| {}).unwrap();
            t.elapsed()
        })
        .collect();
    let export = median(exports);
    let overhead = warm + mix_voice.saturating_sub(mix_plain);
    println!(
        "warm: generate {:.1} ms (40 hits, 0 syntheses); mix with voice {:.1} ms vs {:.1} ms without",
        warm.as_secs_f64() * 1e3,
        mix_voice.as_secs_f64() * 1e3,
        mix_plain.as_secs_f64() * 1e3
    );
    println!(
        "export of the voiced video ({:.1} s, 1080x1920 mp4): {:.2} s; voice-over adds {:.1} ms = {:.2}%",
        tl.duration as f64 / 1e6,
        export.as_secs_f64(),
        overhead.as_secs_f64() * 1e3,
        overhead.as_secs_f64() / export.as_secs_f64() * 100.0
    );
}
