//! Partial redraws: a renderer redraws only the rows that can differ from its previous frame
//! and reports them as damage. Both must be exact, since an export converts only the damage.
// Damage is a list of row ranges; a list of one range is meant, not a range of rows.
#![allow(clippy::single_range_in_vec_init)]

use chatframe_model::{Appearance, Platform, Project, SECOND};
use chatframe_render::Renderer;

/// Every look the damage logic treats differently: iMessage and WhatsApp motion, the input bar
/// typing (the fixtures' default), a group (typing avatars) with the "typing…" header, and a
/// framed landscape canvas (corner layers over the chrome).
fn projects() -> Vec<(&'static str, Project)> {
    let mut framed = super::fixture(Platform::Imessage, Appearance::Light, false);
    // Small enough that the input bar's caret is under two pixels wide (it once tripped a
    // tiny-skia debug assertion): debug test builds draw it every third frame.
    (framed.canvas.width, framed.canvas.height) = (640, 360);
    vec![
        ("imessage", super::fixture(Platform::Imessage, Appearance::Light, false)),
        ("whatsapp-group", super::fixture(Platform::Whatsapp, Appearance::Dark, true)),
        ("framed", framed),
    ]
}

/// Frame times to draw in order: every third frame (debug builds are slow; consecutive frames
/// differ even less), then jumps back and forth like a preview scrub.
fn times(r: &Renderer) -> Vec<i64> {
    let tl = r.timeline();
    let mut ts: Vec<i64> = (0..tl.frame_count()).step_by(3).map(|n| tl.frame_time(n)).collect();
    ts.extend([tl.duration - 1, 0, 3 * SECOND, SECOND / 2, tl.duration / 2, 3 * SECOND]);
    ts
}

#[test]
fn partial_redraws_equal_whole_frames_and_damage_covers_every_change() {
    for (name, p) in projects() {
        let mut partial = Renderer::new(p.clone(), &super::samples_dir()).unwrap();
        let mut whole = Renderer::new(p, &super::samples_dir()).unwrap();
        let (w, h) = partial.size();
        let row = w as usize * 4;
        let mut prev: Option<Vec<u8>> = None;
        let mut damaged_rows = 0u64;
        let ts = times(&partial);
        for (n, &t) in ts.iter().enumerate() {
            whole.forget_previous_frame();
            let want = whole.render(t).data().to_vec();
            let got = partial.render(t).data().to_vec();
            assert!(got == want, "{name}: frame {n} (t = {t}) differs from a whole redraw");
            let damage = partial.damage().to_vec();
            for pair in damage.windows(2) {
                assert!(pair[0].end < pair[1].start, "{name}: damage {damage:?} not sorted and merged");
            }
            assert!(damage.last().is_none_or(|r| r.end <= h), "{name}: damage {damage:?} past the frame");
            match &prev {
                None => assert_eq!(damage, vec![0..h], "{name}: the first frame is all damage"),
                Some(prev) => {
                    for y in 0..h as usize {
                        let inside = damage.iter().any(|r| r.contains(&(y as u32)));
                        let same = prev[y * row..(y + 1) * row] == got[y * row..(y + 1) * row];
                        assert!(inside || same, "{name}: frame {n}: row {y} changed outside the damage {damage:?}");
                    }
                }
            }
            damaged_rows += damage.iter().map(|r| u64::from(r.end - r.start)).sum::<u64>();
            prev = Some(got);
        }
        // Most of a chat frame stays put: the damage must be much smaller than the frames.
        let all = ts.len() as u64 * u64::from(h);
        assert!(damaged_rows * 2 < all, "{name}: {damaged_rows} of {all} rows damaged");
    }
}

#[test]
fn an_edit_or_a_forced_redraw_damages_the_whole_frame() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = Renderer::new(p.clone(), &super::samples_dir()).unwrap();
    let h = r.size().1;
    let t = 5 * SECOND;
    r.render(t);
    r.render(t);
    assert_eq!(r.damage(), &[] as &[std::ops::Range<u32>], "the same frame again changes nothing");
    let mut edited = p;
    edited.messages[0].text.push_str(" (edited)");
    r.update(edited).unwrap();
    r.render(t);
    assert_eq!(r.damage(), &[0..h]);
    r.forget_previous_frame();
    r.render(t);
    assert_eq!(r.damage(), &[0..h]);
}
