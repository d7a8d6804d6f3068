use chatframe_studio::{CreateProject, EditOp, Template};

use crate::temp_studio;

fn create(studio: &mut chatframe_studio::Studio, name: &str, template: Template) -> String {
    studio.create(&CreateProject { name: Some(name.into()), template }).unwrap().id
}

#[test]
fn create_blank_and_starter_projects() {
    let (_dir, mut studio) = temp_studio();
    let blank = studio.create(&CreateProject { name: None, template: Template::Blank }).unwrap();
    assert_eq!((blank.meta.name.as_str(), blank.meta.message_count), ("Untitled", 0));
    let starter = create(&mut studio, "Snow", Template::Starter);
    let doc = studio.document(&starter).unwrap();
    assert_eq!(doc.id, starter, "the document carries its library id");
    assert_eq!(doc.messages.len(), 6);
    assert_eq!(studio.list().unwrap().len(), 2);
    let err = studio.create(&CreateProject { name: None, template: Template::Sample { name: "../etc".into() } });
    assert_eq!(err.unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn create_from_a_sample_in_the_samples_folder() {
    let (dir, mut studio) = temp_studio();
    let samples = dir.path().join("samples");
    std::fs::create_dir(&samples).unwrap();
    let mut p = chatframe_studio::model::starter_project("Sample story");
    p.messages.truncate(3);
    std::fs::write(samples.join("story.chatframe.json"), p.to_json_pretty()).unwrap();
    studio.set_samples_dir(&samples);
    std::fs::write(samples.join("broken.chatframe.json"), "{ not a project").unwrap();
    let offered = studio.samples();
    assert_eq!(offered.len(), 1, "a file that does not parse is not offered: {offered:?}");
    assert_eq!((offered[0].id.as_str(), offered[0].name.as_str()), ("story", "Sample story"), "shown by its own title");
    let s = studio
        .create(&CreateProject { name: Some("Mine".into()), template: Template::Sample { name: "story".into() } })
        .unwrap();
    assert_eq!((s.meta.name.as_str(), s.meta.message_count), ("Mine", 3));
}

#[test]
fn rename_duplicate_trash_restore_and_purge() {
    let (_dir, mut studio) = temp_studio();
    let id = create(&mut studio, "Original", Template::Starter);
    studio.rename(&id, "Renamed").unwrap();
    assert_eq!(studio.summary(&id).unwrap().meta.name, "Renamed");
    assert_eq!(studio.rename(&id, &"x".repeat(201)).unwrap_err().code(), "INVALID_OP");

    let copy = studio.duplicate(&id).unwrap();
    assert_ne!(copy.id, id);
    assert_eq!(copy.meta.name, "Renamed copy");
    let (a, b) = (studio.document(&id).unwrap(), studio.document(&copy.id).unwrap());
    assert_eq!(a.messages, b.messages);
    assert_eq!(b.id, copy.id);

    studio.trash(&id).unwrap();
    assert_eq!(studio.list().unwrap().len(), 1);
    assert_eq!(studio.list_trash().unwrap()[0].id, id);
    assert_eq!(studio.open_project(&id).unwrap_err().code(), "TRASHED");
    studio.restore(&id).unwrap();
    studio.open_project(&id).unwrap();
    assert_eq!(studio.list().unwrap().len(), 2);

    studio.trash(&copy.id).unwrap();
    assert_eq!(studio.empty_trash().unwrap(), 1);
    assert_eq!(studio.summary(&copy.id).unwrap_err().code(), "NOT_FOUND");
    studio.purge(&id).unwrap();
    assert!(studio.list().unwrap().is_empty());
}

#[test]
fn search_by_name_and_message_text_follows_edits() {
    let (_dir, mut studio) = temp_studio();
    let snow = create(&mut studio, "Snow day", Template::Starter);
    let blank = create(&mut studio, "Party", Template::Blank);
    let ids = |v: Vec<chatframe_studio::ProjectSummary>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(studio.search("snow").unwrap()), vec![snow.clone()]);
    assert_eq!(ids(studio.search("outside").unwrap()), vec![snow.clone()], "message text");
    assert!(studio.search("pizza").unwrap().is_empty());

    let mut s = studio.open_project(&blank).unwrap();
    let msg = chatframe_studio::model::Message {
        sender: Some("me".into()),
        text: "Pizza at eight?".into(),
        ..Default::default()
    };
    s.apply(EditOp::AddMessage { index: None, message: msg }).unwrap();
    assert_eq!(ids(studio.search("pizza eight").unwrap()), vec![blank.clone()]);
    studio.trash(&blank).unwrap();
    assert!(studio.search("pizza").unwrap().is_empty());
}

#[test]
fn posters_are_rendered_once_per_revision() {
    let (_dir, mut studio) = temp_studio();
    let id = create(&mut studio, "P", Template::Starter);
    let p = studio.poster(&id).unwrap();
    assert_eq!(&p.png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(p.revision, 0);
    let (w, h) = png_size(&p.png);
    assert!(w <= 270 && w > 0 && h > w, "portrait thumbnail, got {w}x{h}");
    assert_eq!(studio.summary(&id).unwrap().poster_revision, Some(0));
    let mut s = studio.open_project(&id).unwrap();
    s.apply(EditOp::SetName { name: "Q".into() }).unwrap();
    assert_eq!(studio.poster(&id).unwrap().revision, 1, "stale poster re-rendered");
    let dup = studio.duplicate(&id).unwrap();
    assert_eq!(dup.poster_revision, Some(0), "a copy keeps the poster");
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn a_wide_projects_poster_keeps_the_phone_sharp() {
    use chatframe_studio::model::{Background, Canvas, Color};
    let (_dir, mut studio) = temp_studio();
    let id = create(&mut studio, "Wide", Template::Starter);
    let mut s = studio.open_project(&id).unwrap();
    let stage = Color::hex(0xff00ff);
    let canvas = Canvas { width: 1920, height: 1080, fps: 30, background: Background::Solid { color: stage } };
    s.apply(EditOp::SetCanvas { canvas }).unwrap();
    let p = studio.poster(&id).unwrap();
    let img = tiny_skia::Pixmap::decode_png(&p.png).unwrap();
    assert!(
        img.width() <= 270 && img.height() > img.width(),
        "a card-shaped poster, got {}x{}",
        img.width(),
        img.height()
    );
    // The phone spans from its bezel's left edge to its right one (the screen shows the project
    // background too, so count the span, not the pixels).
    let y = img.height() / 2;
    let off_stage: Vec<u32> = (0..img.width())
        .filter(|&x| {
            let px = img.pixel(x, y).unwrap();
            (px.red(), px.green(), px.blue()) != (0xff, 0x00, 0xff)
        })
        .collect();
    let phone = off_stage.last().unwrap() - off_stage[0] + 1;
    // Scaled down whole, a 16:9 poster 270 px wide has a phone of about 70 px.
    assert!(phone >= 150, "the phone is {phone} px wide in a {} px poster", img.width());
}
