use chatframe_studio::EditOp;

use crate::starter_session;

#[test]
fn preview_frames_are_scaled_straight_rgba() {
    let (_dir, _studio, mut s) = starter_session();
    let f = s.preview_frame(1_000_000, 540).unwrap();
    assert_eq!((f.width, f.height), (540, 960));
    assert_eq!(f.rgba.len(), 540 * 960 * 4);
    let full = s.preview_frame(0, 0).unwrap();
    assert_eq!((full.width, full.height), (1080, 1920));
    // After an edit the next frame comes from the new document (a square canvas here).
    let mut canvas = s.project().canvas.clone();
    canvas.height = 1080;
    s.apply(EditOp::SetCanvas { canvas }).unwrap();
    let f = s.preview_frame(0, 540).unwrap();
    assert_eq!((f.width, f.height), (540, 540));
}

#[test]
fn markers_and_seeking_follow_the_timeline() {
    let (_dir, _studio, mut s) = starter_session();
    let markers = s.markers();
    assert_eq!(markers.len(), s.project().messages.len());
    assert!(markers.windows(2).all(|w| w[0].appear_us <= w[1].start_us), "in time order");
    assert!(markers.iter().all(|m| m.start_us <= m.appear_us));
    let third = &markers[3];
    let t = s.seek_to_message(&third.id).unwrap();
    assert!(t >= third.appear_us && t < markers[4].appear_us, "{t} within message 3's time on screen");
    assert_eq!(s.seek_to_message("nope").unwrap_err().code(), "INVALID_OP");

    let before = s.state().duration_us;
    let id = s.project().messages[1].id.clone();
    let timing = chatframe_studio::model::TimingOverride { delay_ms: Some(5_000), ..Default::default() };
    let r = s.apply(EditOp::SetMessageTiming { id, timing }).unwrap();
    assert!(r.duration_us > before + 4_000_000, "a longer delay lengthens the video");
    assert!(s.markers()[3].appear_us > third.appear_us + 4_000_000);
}

/// A mono 16-bit WAV of `secs` seconds of silence at 48 kHz.
fn silent_wav(path: &std::path::Path, secs: u32) {
    let data = 48_000 * 2 * secs;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&48_000u32.to_le_bytes());
    b.extend_from_slice(&(48_000u32 * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data.to_le_bytes());
    b.resize(b.len() + data as usize, 0);
    std::fs::write(path, b).unwrap();
}

#[test]
fn the_preview_timeline_is_the_exports_voice_notes_included() {
    use chatframe_studio::model::{Message, MessageKind};
    let (dir, mut studio, _) = starter_session();
    let wav = dir.path().join("note.wav");
    silent_wav(&wav, 7);
    let media = studio.add_media(&wav).unwrap();
    let id = studio.list().unwrap()[0].id.clone();
    let mut s = studio.open_project(&id).unwrap();
    let sender = s.project().participants[0].id.clone();
    let note = Message {
        id: "note".into(),
        sender: Some(sender),
        kind: MessageKind::VoiceNote,
        media: Some(media.rel_path.clone()),
        ..Message::default()
    };
    s.apply(EditOp::AddMessage { index: Some(1), message: note }).unwrap();
    let export = chatframe_export::timeline(s.project(), s.base_dir());
    assert_eq!(s.timeline(), &export, "preview and playback must run on the export's clock");
    let e = &s.timeline().entries[1];
    assert!(e.hold_end - e.appear >= 7_000_000, "the 7 s note is held while it plays");
    assert_eq!(s.state().duration_us, export.duration, "the library and the editor show the video's length");
}
