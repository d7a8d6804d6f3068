use chatframe_model::{Appearance, Background, MS, Platform, SECOND};
use chatframe_render::{ENTRANCE, RenderError, Renderer};

use super::goldens::psnr;

fn renderer(p: chatframe_model::Project) -> Renderer {
    Renderer::new(p, &super::samples_dir()).unwrap()
}

#[test]
fn rendering_is_deterministic_across_renderers_and_cache_states() {
    let p = super::fixture(Platform::Whatsapp, Appearance::Dark, true);
    let mut a = renderer(p.clone());
    let mut b = renderer(p);
    // `b` renders out of order, so its caches are in a different state when it draws `t`.
    let t = 9 * SECOND + 250 * MS;
    b.render(20 * SECOND);
    b.render(SECOND);
    assert_eq!(a.render(t).data(), b.render(t).data());
}

#[test]
fn equal_frame_keys_mean_equal_pixels_and_changes_change_the_key() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p);
    let tl = r.timeline().clone();
    let mut last: Option<(u64, Vec<u8>)> = None;
    let mut reused = 0;
    for n in 0..tl.frame_count().min(400) {
        let t = tl.frame_time(n);
        let key = r.frame_key(t);
        let pixels = r.render(t).data().to_vec();
        if let Some((k, px)) = &last
            && *k == key
        {
            assert_eq!(px, &pixels, "frame {n}: same key, different pixels");
            reused += 1;
        }
        last = Some((key, pixels));
    }
    // Holds between messages are static: a good share of frames can be reused by the encoder.
    assert!(reused > 50, "only {reused} reusable frames");
}

#[test]
fn the_chat_scrolls_as_it_grows() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p);
    let end = r.timeline().duration - 1;
    let early = r.scene(r.timeline().entries[2].appear + SECOND);
    let late = r.scene(end);
    // Early on the first message is on screen; at the end it has scrolled away.
    assert!(early.blocks.iter().any(|b| b.index == 0));
    assert!(!late.blocks.iter().any(|b| b.index == 0));
    assert!(late.blocks.iter().any(|b| b.index == r.project().messages.len() - 1));
    // Only what is visible is in the scene.
    assert!(late.blocks.len() < 15, "{} blocks in scene", late.blocks.len());
    let _ = r.render(end);
}

#[test]
fn typing_shows_dots_for_them_and_text_in_the_input_bar_for_me() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p.clone());
    let tl = r.timeline().clone();
    let them =
        tl.entries.iter().find(|e| matches!(e.typing, Some((_, chatframe_model::TypingStyle::Indicator)))).unwrap();
    let (start, _) = them.typing.unwrap();
    assert!(r.scene(start + (them.appear - start) / 2).typing.is_some());
    assert!(r.scene(them.appear + 10 * MS).typing.is_none());
    let me = tl.entries.iter().find(|e| matches!(e.typing, Some((_, chatframe_model::TypingStyle::InputBar)))).unwrap();
    let (start, _) = me.typing.unwrap();
    let s = r.scene(start + (me.appear - start) / 2);
    assert_eq!(s.input_index, Some(me.index));
    let total = p.messages[me.index].text.chars().count();
    assert!(s.input_chars > 0 && s.input_chars < total);
}

#[test]
fn dots_animate_during_typing() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p);
    let e = r
        .timeline()
        .entries
        .iter()
        .find(|e| e.typing.is_some() && e.appear - e.typing.unwrap().0 > 600 * MS)
        .cloned()
        .unwrap();
    let (start, _) = e.typing.unwrap();
    let a = r.render(start + 300 * MS).clone();
    let b = r.render(start + 600 * MS).clone();
    assert!(psnr(&a, &b) < 60.0, "the dots did not move");
}

#[test]
fn backgrounds_change_the_picture() {
    let mut p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let plain = renderer(p.clone()).render(SECOND).clone();
    p.canvas.background = Background::Solid { color: "#ff00ff".parse().unwrap() };
    let mut r = renderer(p.clone());
    let magenta = r.render(SECOND);
    let mid = magenta.pixel(180, 400).unwrap();
    assert!(mid.red() > 200 && mid.blue() > 200 && mid.green() < 50, "{mid:?}");
    assert!(psnr(&plain, magenta) < 20.0);
    p.canvas.background = Background::Transparent;
    let mut r = renderer(p);
    assert_eq!(r.render(SECOND).pixel(180, 400).unwrap().alpha(), 0, "transparent background for overlays");
}

#[test]
fn unsupported_and_missing_images_name_the_field_and_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fake.png"), b"this is not an image").unwrap();
    let mut p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let i = p.messages.iter().position(|m| m.media.is_some()).unwrap();
    p.messages[i].media = Some(dir.path().join("fake.png").to_string_lossy().into());
    match Renderer::new(p.clone(), &super::samples_dir()) {
        Err(e @ RenderError::Image { .. }) => {
            let s = e.to_string();
            assert!(s.starts_with(&format!("messages[{i}].media:")) && s.contains("fake.png"), "{s}");
            assert_eq!(e.code(), "BAD_IMAGE");
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("garbage image accepted"),
    }
    p.messages[i].media = Some("missing.png".into());
    let err = Renderer::new(p, &super::samples_dir()).err().expect("missing file refused");
    assert!(err.to_string().contains("missing.png"), "{err}");
}

/// `p` with `n` messages, repeating its own (all but the first, a date line).
fn long_chat(mut p: chatframe_model::Project, n: usize) -> chatframe_model::Project {
    let base = p.messages.clone();
    p.messages = (0..n)
        .map(|i| {
            let mut m = base[1 + i % (base.len() - 1)].clone();
            m.id = format!("m{i}");
            m
        })
        .collect();
    p
}

#[test]
fn five_thousand_messages_render_only_the_visible_ones() {
    let p = long_chat(super::fixture(Platform::Imessage, Appearance::Light, false), 5000);
    let mut r = renderer(p);
    let end = r.timeline().duration - 1;
    let scene = r.scene(end);
    assert!(scene.blocks.len() < 20);
    assert!(scene.blocks.iter().all(|b| b.index > 4900));
    r.render(end);
}

#[test]
fn a_long_chat_draws_the_same_frame_whatever_was_drawn_before() {
    // Blocks are measured when first shown and positioned from the newest message up, so a
    // frame must not depend on which frames (and blocks) came before it.
    let p = long_chat(super::fixture(Platform::Whatsapp, Appearance::Dark, true), 600);
    let mut scrubbed = renderer(p.clone());
    let end = scrubbed.timeline().duration - 1;
    let times = [end, 2 * SECOND, end / 2, end / 3 + 137 * MS, 5 * SECOND];
    for t in times.iter().rev() {
        scrubbed.render(*t);
    }
    for t in times {
        let mut fresh = renderer(p.clone());
        assert_eq!(fresh.scene(t), scrubbed.scene(t), "scene at {t}");
        assert_eq!(fresh.render(t).data(), scrubbed.render(t).data(), "pixels at {t}");
    }
}

#[test]
fn a_message_is_at_rest_exactly_entrance_after_it_appears() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p);
    let tl = r.timeline().clone();
    let mut checked = 0;
    for (i, e) in tl.entries.iter().enumerate() {
        let before = r.scene(e.appear + ENTRANCE - 20 * MS);
        let entering = before.blocks.iter().find(|b| b.index == i).map(|b| b.enter);
        let at = r.scene(e.appear + ENTRANCE);
        let settled = at.blocks.iter().find(|b| b.index == i).map(|b| b.enter);
        if let (Some(entering), Some(settled)) = (entering, settled) {
            assert!(entering < 1024, "message {i} is still entering 20 ms before ENTRANCE");
            assert_eq!(settled, 1024, "message {i} is at rest at ENTRANCE");
            checked += 1;
        }
    }
    assert!(checked > 3, "the fixture has messages to check ({checked})");
}

#[test]
fn settled_bubbles_never_jump_down() {
    // Across the moment the chat first overflows the screen (positions switch from counting
    // from the top to counting from the newest message) nothing may jump. The chat only grows,
    // except when a bubble smaller than the typing indicator replaces it: then it eases down.
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p);
    let tl = r.timeline().clone();
    let mut last: std::collections::HashMap<usize, i32> = Default::default();
    for n in 0..tl.frame_count() {
        let scene = r.scene(tl.frame_time(n));
        let mut now = std::collections::HashMap::new();
        for b in scene.blocks.iter().filter(|b| b.enter >= 1024) {
            if let Some(&y) = last.get(&b.index) {
                assert!(b.y <= y + 2, "frame {n}: message {} moved down from {y} to {}", b.index, b.y);
            }
            now.insert(b.index, b.y);
        }
        last = now;
    }
}

#[test]
fn updating_after_an_edit_matches_a_fresh_renderer() {
    let p = super::fixture(Platform::Whatsapp, Appearance::Light, true);
    let mut r = renderer(p.clone());
    let t = r.timeline().duration - 1;
    r.render(t);
    let mut edited = p.clone();
    edited.messages[5].text = "edited text that wraps onto a second line for sure".into();
    edited.theme.appearance = Appearance::Dark;
    r.update(edited.clone()).unwrap();
    let mut fresh = renderer(edited);
    let t = fresh.timeline().duration - 1;
    assert_eq!(r.render(t).data(), fresh.render(t).data());
}

#[test]
fn a_failed_update_leaves_the_renderer_unchanged() {
    let p = super::fixture(Platform::Imessage, Appearance::Light, false);
    let mut r = renderer(p.clone());
    let before = r.render(SECOND).clone();
    let mut bad = p.clone();
    let i = bad.messages.iter().position(|m| m.media.is_some()).unwrap();
    bad.messages[i].media = Some("does-not-exist.png".into());
    bad.theme.appearance = Appearance::Dark;
    assert!(r.update(bad).is_err());
    assert_eq!(r.project(), &p);
    assert_eq!(r.render(SECOND).data(), before.data());
}
