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
