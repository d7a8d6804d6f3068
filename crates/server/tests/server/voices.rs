//! Voices, cloning from uploaded samples, characters and text-to-speech (real espeak-ng + ffmpeg).

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::{TestServer, error_code};

/// A WAV of a voiced, syllable-like signal at `f0` Hz.
pub fn speechlike_wav(f0: f64, secs: f64) -> Vec<u8> {
    let sr = 16000u32;
    let mut cur = std::io::Cursor::new(Vec::new());
    let spec =
        hound::WavSpec { channels: 1, sample_rate: sr, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::new(&mut cur, spec).unwrap();
    for i in 0..(secs * f64::from(sr)) as usize {
        let t = i as f64 / f64::from(sr);
        let env = (0.5 - 0.5 * (2.0 * std::f64::consts::PI * 4.0 * t).cos()).powi(2);
        let v: f64 = (1..6).map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64).sum();
        w.write_sample((0.3 * env * v * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    cur.into_inner()
}

pub fn form(audio: Vec<u8>, name: &str) -> Form {
    Form::new().part("audio", Part::bytes(audio).file_name("sample.wav")).text("name", name.to_string())
}

#[tokio::test]
async fn presets_cloning_and_characters() {
    let t = TestServer::start().await;
    let key = t.account(250);
    let v: Value = t.get(&key, "/v1/voices").send().await.unwrap().json().await.unwrap();
    let presets = v["voices"].as_array().unwrap();
    assert!(presets.len() >= 4 && presets.iter().all(|p| p["is_preset"] == true));

    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(speechlike_wav(120.0, 6.0), "Deep"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!((c["credits_used"].as_i64(), c["credits_remaining"].as_i64()), (Some(100), Some(150)));
    assert!(c["engine_voice"].as_str().unwrap().ends_with("+m3"), "{c}");
    let f0 = c["analysis"]["median_pitch_hz"].as_f64().unwrap();
    assert!((f0 - 120.0).abs() < 10.0, "{c}");
    let voice_id = c["voice_id"].as_str().unwrap().to_string();
    assert_eq!(t.get(&key, &format!("/v1/voices/{voice_id}")).send().await.unwrap().status(), 200);

    // Too short, not audio, too large, missing fields: refused without charging.
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(speechlike_wav(200.0, 2.0), "Short"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 422).await.0, "SAMPLE_DURATION");
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(speechlike_wav(200.0, 31.5), "Long"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 422).await.0, "SAMPLE_DURATION");
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(b"not audio at all".repeat(100), "Junk"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 422).await.0, "UNSUPPORTED_AUDIO");
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(vec![0u8; 10 * 1024 * 1024 + 10], "Big"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 413).await.0, "PAYLOAD_TOO_LARGE");
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(Form::new().text("name", "x"))
        .send()
        .await
        .unwrap();
    error_code(r, 422).await;
    let r = t.post(&key, "/v1/voices/clone", json!({ "name": "x" })).send().await.unwrap();
    error_code(r, 415).await;
    // 150 left, a clone costs 100: one more works, the next is 402.
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(speechlike_wav(230.0, 6.0), "High"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = t
        .client
        .post(t.url("/v1/voices/clone"))
        .bearer_auth(&key)
        .multipart(form(speechlike_wav(230.0, 6.0), "Again"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 402).await.0, "INSUFFICIENT_CREDITS");
    assert_eq!(t.balance(&key).await, 50);

    // Characters.
    let r = t
        .post(&key, "/v1/characters", json!({ "name": "Sam", "voice_id": voice_id, "personality": "dry humour" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let ch: Value = r.json().await.unwrap();
    let ch_id = ch["character_id"].as_str().unwrap();
    let list: Value = t.get(&key, "/v1/characters?limit=1").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["characters"][0]["name"], "Sam");
    error_code(
        t.post(&key, "/v1/characters", json!({ "name": "X", "voice_id": "voice_nope" })).send().await.unwrap(),
        422,
    )
    .await;
    error_code(
        t.post(&key, "/v1/characters", json!({ "name": "X", "voice_id": "voice_ava", "language": "xx" }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(t.delete(&key, &format!("/v1/characters/{ch_id}")).send().await.unwrap().status(), 204);
    error_code(t.get(&key, &format!("/v1/characters/{ch_id}")).send().await.unwrap(), 404).await;
    assert_eq!(t.delete(&key, &format!("/v1/voices/{voice_id}")).send().await.unwrap().status(), 204);
    error_code(t.delete(&key, "/v1/voices/voice_ava").send().await.unwrap(), 404).await;
    t.server.stop().await;
}

#[tokio::test]
async fn tts_returns_mp3_and_charges_per_hundred_characters() {
    let t = TestServer::start().await;
    let key = t.account(3);
    let r = t
        .post(&key, "/v1/tts", json!({ "voice_id": "voice_ava", "text": "Hello there! Are you still up?" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
    assert_eq!(r.headers()["x-credits-remaining"], "2");
    let mp3 = r.bytes().await.unwrap();
    assert!(mp3.len() > 1000);
    assert!(mp3.starts_with(b"ID3") || (mp3[0] == 0xff && mp3[1] & 0xe0 == 0xe0), "MP3 data");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.mp3");
    std::fs::write(&path, &mp3).unwrap();
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "mp3");

    // A character's voice works too.
    let ch: Value = t
        .post(&key, "/v1/characters", json!({ "name": "Max", "voice_id": "voice_max" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = t.post(&key, "/v1/tts", json!({ "character_id": ch["character_id"], "text": "Hi" })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // 150 characters cost 2; one credit is left.
    let (code, _) = error_code(
        t.post(&key, "/v1/tts", json!({ "voice_id": "voice_ava", "text": "a".repeat(150) })).send().await.unwrap(),
        402,
    )
    .await;
    assert_eq!(code, "INSUFFICIENT_CREDITS");
    error_code(t.post(&key, "/v1/tts", json!({ "voice_id": "voice_ava", "text": "" })).send().await.unwrap(), 422)
        .await;
    error_code(
        t.post(&key, "/v1/tts", json!({ "voice_id": "voice_ava", "text": "a".repeat(5001) })).send().await.unwrap(),
        422,
    )
    .await;
    error_code(t.post(&key, "/v1/tts", json!({ "text": "hi" })).send().await.unwrap(), 422).await;
    error_code(t.post(&key, "/v1/tts", json!({ "voice_id": "voice_nope", "text": "hi" })).send().await.unwrap(), 404)
        .await;
    assert_eq!(t.balance(&key).await, 1);
    t.server.stop().await;
}

/// Samples in other common formats decode too (made from the WAV with ffmpeg).
#[tokio::test]
async fn cloning_accepts_mp3_flac_and_ogg() {
    let t = TestServer::start().await;
    let key = t.account(1000);
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("s.wav");
    std::fs::write(&wav, speechlike_wav(180.0, 7.0)).unwrap();
    for (ext, codec) in [("mp3", "libmp3lame"), ("flac", "flac"), ("ogg", "libvorbis")] {
        let out = dir.path().join(format!("s.{ext}"));
        let ok = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-i"])
            .arg(&wav)
            .args(["-c:a", codec])
            .arg(&out)
            .status()
            .unwrap()
            .success();
        assert!(ok, "ffmpeg {ext}");
        let form = Form::new()
            .part("audio", Part::bytes(std::fs::read(&out).unwrap()).file_name(format!("sample.{ext}")))
            .text("name", ext.to_string())
            .text("language", "de");
        let r = t.client.post(t.url("/v1/voices/clone")).bearer_auth(&key).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 201, "{ext}");
        let v: Value = r.json().await.unwrap();
        let f0 = v["analysis"]["median_pitch_hz"].as_f64().unwrap();
        assert!((f0 - 180.0).abs() < 12.0, "{ext}: {v}");
        assert!(v["engine_voice"].as_str().unwrap().starts_with("de+"), "{v}");
    }
    t.server.stop().await;
}
