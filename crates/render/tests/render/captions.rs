//! Photo captions: iMessage shows the photo bare and the caption under it as a text bubble of
//! the sender's side; WhatsApp puts the caption inside the framed photo bubble.

use chatframe_model::{Appearance, Message, MessageKind, Platform, Project, Reaction, Receipt};
use chatframe_render::{Pixmap, Renderer};

/// The photo's single colour, found nowhere else in a frame.
const GREEN: [u8; 3] = [0, 200, 0];

/// A chat of one photo from `sender` ("me" or "maya"), in a temp dir holding the photo.
fn photo_chat(platform: Platform, appearance: Appearance, sender: &str, caption: &str) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    image::RgbaImage::from_pixel(200, 150, image::Rgba([GREEN[0], GREEN[1], GREEN[2], 255]))
        .save(dir.path().join("green.png"))
        .unwrap();
    let mut p = super::fixture(platform, appearance, false);
    // Initials: the temp dir holds only the photo.
    for q in &mut p.participants {
        q.avatar = None;
    }
    p.messages = vec![Message {
        id: "photo".into(),
        sender: Some(sender.into()),
        kind: MessageKind::Image,
        media: Some("green.png".into()),
        text: caption.into(),
        ..Default::default()
    }];
    (dir, p)
}

fn last_frame(dir: &tempfile::TempDir, p: Project) -> Pixmap {
    let mut r = Renderer::new(p, dir.path()).unwrap();
    let t = r.timeline().duration - 1;
    r.render(t).clone()
}

fn rgb(f: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let px = f.pixel(x, y).unwrap();
    [px.red(), px.green(), px.blue()]
}

fn near(a: [u8; 3], b: [u8; 3], tol: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tol)
}

/// The photo's bounding box (x0, y0, x1, y1), exclusive ends.
fn photo_box(f: &Pixmap) -> (u32, u32, u32, u32) {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in 0..f.height() {
        for x in 0..f.width() {
            if rgb(f, x, y) == GREEN {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    assert!(x1 > x0, "no photo in the frame");
    (x0, y0, x1, y1)
}

/// Checks that the caption under the photo sits inside a region of `bubble` colour: the box of
/// everything under the photo that is not wallpaper is mostly bubble, and inside it (away from
/// the rounded corners) some pixels are text.
fn assert_caption_in_bubble(f: &Pixmap, bubble: [u8; 3], wallpaper: [u8; 3], what: &str) {
    let (_, _, _, py1) = photo_box(f);
    let band = py1..(py1 + 60).min(f.height());
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in band.clone() {
        for x in 0..f.width() {
            if !near(rgb(f, x, y), wallpaper, 6) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    assert!(x1 > x0, "{what}: nothing is drawn under the photo");
    let area = (x1 - x0) * (y1 - y0);
    let mut bubbly = 0;
    let mut ink = 0;
    let r = 10;
    for y in y0..y1 {
        for x in x0..x1 {
            let c = rgb(f, x, y);
            if near(c, bubble, 24) {
                bubbly += 1;
            } else if x >= x0 + r && x + r < x1 && y >= y0 + r / 2 && y + r / 2 < y1 {
                ink += 1;
            }
        }
    }
    assert!(bubbly * 100 >= area * 60, "{what}: only {bubbly} of {area} px under the photo are bubble-coloured");
    assert!(ink >= 15, "{what}: no caption text inside the bubble ({ink} px)");
}

#[test]
fn an_imessage_caption_on_my_side_is_drawn() {
    let (dir, with) = photo_chat(Platform::Imessage, Appearance::Light, "me", "Look at this view");
    let (dir2, without) = photo_chat(Platform::Imessage, Appearance::Light, "me", "");
    let (a, b) = (last_frame(&dir, with), last_frame(&dir2, without));
    let differ = a.data().chunks_exact(4).zip(b.data().chunks_exact(4)).filter(|(x, y)| x != y).count();
    assert!(differ > 500, "the caption changes only {differ} pixels");
}

#[test]
fn imessage_captions_are_text_bubbles_of_their_side() {
    for (appearance, wallpaper, them) in
        [(Appearance::Light, [255, 255, 255], [0xe9, 0xe9, 0xeb]), (Appearance::Dark, [0, 0, 0], [0x26, 0x26, 0x28])]
    {
        for (sender, bubble) in [("me", [0x15, 0x82, 0xfc]), ("maya", them)] {
            let (dir, p) = photo_chat(Platform::Imessage, appearance, sender, "Look at this view");
            let f = last_frame(&dir, p);
            assert_caption_in_bubble(&f, bubble, wallpaper, &format!("{appearance:?} {sender}"));
        }
    }
}

#[test]
fn whatsapp_keeps_the_caption_inside_the_photo_bubble() {
    for (sender, bubble) in [("me", [0xd9, 0xfd, 0xd3]), ("maya", [0xff, 0xff, 0xff])] {
        let (dir, p) = photo_chat(Platform::Whatsapp, Appearance::Light, sender, "Look at this view");
        let f = last_frame(&dir, p);
        let (x0, _, x1, py1) = photo_box(&f);
        // Just under the photo, across its width: the bubble's frame, then the caption on it.
        let row: Vec<_> = (x0..x1).map(|x| rgb(&f, x, py1 + 2)).collect();
        assert!(row.iter().all(|&c| near(c, bubble, 6)), "{sender}: no bubble under the photo");
        let text = (py1..py1 + 40).flat_map(|y| (x0..x1).map(move |x| (x, y))).filter(|&(x, y)| {
            let c = rgb(&f, x, y);
            c.iter().all(|&v| v < 120)
        });
        assert!(text.count() > 15, "{sender}: no caption text in the bubble");
    }
}

/// A photo with a caption from each side, with a reaction and a receipt, for the goldens.
pub fn captions_chat(appearance: Appearance) -> Project {
    let mut p = super::fixture(Platform::Imessage, appearance, false);
    let photo = |id: &str, sender: &str, caption: &str| Message {
        id: id.into(),
        sender: Some(sender.into()),
        kind: MessageKind::Image,
        media: Some("media/rooftop.png".into()),
        text: caption.into(),
        ..Default::default()
    };
    let mut theirs = photo("a", "maya", "Made it to the rooftop 🌇");
    theirs.reactions = vec![Reaction { emoji: "❤️".into(), from: Some("me".into()), delay_ms: None }];
    let mut mine = photo("b", "me", "Jealous!! Save me a seat");
    mine.receipt = Some(Receipt::Read);
    p.messages = vec![theirs, mine];
    // A phone-shaped canvas, tall enough for both photos.
    p.canvas.height = 780;
    p
}
