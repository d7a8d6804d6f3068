//! The blurred stage around a framed phone (`Background::Blur`).

use chatframe_model::{Appearance, Background, Platform, Project, SECOND};
use chatframe_render::{Pixmap, Renderer};

fn wide(platform: Platform, appearance: Appearance) -> Project {
    let mut p = super::fixture(platform, appearance, false);
    (p.canvas.width, p.canvas.height) = (640, 360);
    p.canvas.background = Background::Blur;
    p
}

fn render(p: Project, t: i64) -> Pixmap {
    let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
    r.render(t).clone()
}

/// The canvas beside the phone (which spans about x = 235..405 on a 640×360 canvas).
fn beside_phone(f: &Pixmap) -> Vec<[u8; 3]> {
    (0..f.height())
        .flat_map(|y| (0..200).chain(440..640).map(move |x| (x, y)))
        .map(|(x, y)| {
            let p = f.pixel(x, y).unwrap();
            [p.red(), p.green(), p.blue()]
        })
        .collect()
}

#[test]
fn the_stage_is_a_darkened_picture_of_the_chat_not_a_flat_fill() {
    let p = wide(Platform::Imessage, Appearance::Light);
    let end = Renderer::new(p.clone(), &super::samples_dir()).unwrap().timeline().duration - 1;
    let strip = beside_phone(&render(p, end));
    let lum = |c: &[u8; 3]| (u32::from(c[0]) * 3 + u32::from(c[1]) * 6 + u32::from(c[2])) / 10;
    let (lo, hi) = (strip.iter().map(lum).min().unwrap(), strip.iter().map(lum).max().unwrap());
    // The light wallpaper, darkened: no pixel of the stage is as bright as the white screen.
    assert!(hi < 200, "the stage is not darkened (max luminance {hi})");
    // The bubbles show through as colour: the stage is not one grey.
    assert!(hi - lo >= 12, "the stage is flat ({lo}..{hi})");
    assert!(strip.iter().any(|c| c[2] > c[0] + 20), "no trace of the blue bubbles");
}

#[test]
fn the_stage_stays_still_while_the_chat_plays() {
    let p = wide(Platform::Whatsapp, Appearance::Dark);
    let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
    let a = beside_phone(&r.render(SECOND).clone());
    let b = beside_phone(&r.render(r.timeline().duration / 2).clone());
    assert!(a == b, "the stage changed between frames");
}

#[test]
fn an_edited_renderer_draws_the_stage_a_new_one_does() {
    let p = wide(Platform::Imessage, Appearance::Dark);
    let mut edited = p.clone();
    let last = edited.messages.len() - 1;
    edited.messages[last].text = "A different last word, a different stage".into();
    let mut r = Renderer::new(p.clone(), &super::samples_dir()).unwrap();
    let end = r.timeline().duration - 1;
    let before = r.render(end).clone();
    r.update(edited.clone()).unwrap();
    let t = r.timeline().duration - 1;
    let after = r.render(t).clone();
    assert_eq!(after.data(), render(edited, t).data(), "an update draws what a new renderer does");
    assert_ne!(beside_phone(&before), beside_phone(&after), "the stage follows the chat's last frame");
}

#[test]
fn a_portrait_canvas_with_the_blur_stage_shows_the_wallpaper() {
    let mut p = super::fixture(Platform::Whatsapp, Appearance::Light, false);
    let t = 3 * SECOND;
    let theme = render(p.clone(), t);
    p.canvas.background = Background::Blur;
    assert_eq!(render(p, t).data(), theme.data());
}
