use std::io::Write;
use std::path::Path;

use chatframe_studio::model::{Message, MessageKind, starter_project};
use chatframe_studio::{Studio, StudioError};

use crate::temp_studio;

fn png_bytes() -> Vec<u8> {
    let mut p = tiny_skia::Pixmap::new(4, 3).unwrap();
    p.fill(tiny_skia::Color::from_rgba8(200, 30, 30, 255));
    p.encode_png().unwrap()
}

/// A project file with a photo message next to it, as a user would have on disk.
fn project_with_photo(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("pics")).unwrap();
    std::fs::write(dir.join("pics/cat.png"), png_bytes()).unwrap();
    let mut p = starter_project("Photo story");
    p.messages.push(Message {
        id: "photo".into(),
        kind: MessageKind::Image,
        sender: Some("sam".into()),
        media: Some("pics/cat.png".into()),
        ..Message::default()
    });
    let path = dir.join("story.chatframe.json");
    std::fs::write(&path, p.to_json_pretty()).unwrap();
    path
}

fn unchanged(studio: &Studio, before: usize) {
    assert_eq!(studio.list().unwrap().len(), before, "a failed import adds nothing");
    assert!(studio.list_trash().unwrap().is_empty());
}

#[test]
fn json_import_copies_media_into_the_library() {
    let (dir, mut studio) = temp_studio();
    let path = project_with_photo(&dir.path().join("in"));
    let s = studio.import(&path).unwrap();
    assert_eq!(s.meta.name, "Photo story");
    let doc = studio.document(&s.id).unwrap();
    let media = doc.messages.last().unwrap().media.clone().unwrap();
    assert!(media.starts_with("media/") && media.ends_with(".png"), "{media}");
    assert_eq!(std::fs::read(studio.library_dir().join(&media)).unwrap(), png_bytes());
    // The original may go away: the library has its own copy.
    std::fs::remove_dir_all(dir.path().join("in")).unwrap();
    studio.poster(&s.id).unwrap();
}

#[test]
fn bundle_and_json_exports_round_trip() {
    let (dir, mut studio) = temp_studio();
    let s = studio.import(&project_with_photo(&dir.path().join("in"))).unwrap();
    let original = studio.document(&s.id).unwrap();

    let bundle = dir.path().join("out/story.chatframe");
    std::fs::create_dir_all(bundle.parent().unwrap()).unwrap();
    studio.export_file(&s.id, &bundle).unwrap();
    let json = dir.path().join("out/story.chatframe.json");
    studio.export_file(&s.id, &json).unwrap();
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path().join("out")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary files left: {leftovers:?}");

    // Both come back as equal documents (new id, same content, media re-stored by content).
    for file in [&bundle, &json] {
        let back = studio.import(file).unwrap();
        let mut doc = studio.document(&back.id).unwrap();
        doc.id = original.id.clone();
        assert_eq!(doc, original, "{}", file.display());
    }
    // The bundle is self-contained: it imports into another library.
    let (_d2, mut other) = temp_studio();
    let back = other.import(&bundle).unwrap();
    let doc = other.document(&back.id).unwrap();
    let media = doc.messages.last().unwrap().media.clone().unwrap();
    assert_eq!(std::fs::read(other.library_dir().join(media)).unwrap(), png_bytes());
}

#[test]
fn broken_files_return_the_models_error_and_change_nothing() {
    let (dir, mut studio) = temp_studio();
    studio.import(&project_with_photo(&dir.path().join("ok"))).unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let valid = starter_project("x").to_json_pretty();
    let mut no_media = starter_project("x");
    no_media.messages[2].kind = MessageKind::Image;
    no_media.messages[2].media = Some("gone.png".into());
    let cases = [
        (write("syntax.chatframe.json", "{\"participants\": [,"), "INVALID_JSON", "line 1"),
        (
            write("sender.chatframe.json", &valid.replacen("\"sender\": \"sam\"", "\"sender\": \"ghost\"", 1)),
            "INVALID_FIELD",
            "messages[1].sender",
        ),
        (
            write("future.chatframe.json", &valid.replace("\"schemaVersion\": 1", "\"schemaVersion\": 9")),
            "UNSUPPORTED_VERSION",
            "9",
        ),
        (write("typo.chatframe.json", &valid.replacen("\"messages\"", "\"mesages\"", 1)), "INVALID_FIELD", "mesages"),
        (
            write("nomedia.chatframe.json", &no_media.to_json_pretty()),
            "INVALID_FIELD",
            "messages[2].media: file not found",
        ),
        (dir.path().join("missing.chatframe.json"), "READ_FAILED", "missing.chatframe.json"),
        (write("garbage.chatframe", "PK\u{3}\u{4}not really a zip"), "BAD_BUNDLE", "not a valid"),
    ];
    for (path, code, needle) in cases {
        let err = studio.import(&path).unwrap_err();
        assert_eq!(err.code(), code, "{}: {err}", path.display());
        assert!(err.to_string().contains(needle), "{}: {err}", path.display());
        unchanged(&studio, 1);
    }
}

#[test]
fn broken_bundles_name_what_is_missing() {
    let (dir, mut studio) = temp_studio();
    let zip_with = |name: &str, files: &[(&str, &[u8])]| {
        let path = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (n, bytes) in files {
            zip.start_file(*n, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        path
    };
    let mut p = starter_project("b");
    p.messages[1].kind = MessageKind::Image;
    p.messages[1].media = Some("media/cat.png".into());
    let doc = p.to_json_pretty();

    let empty = zip_with("empty.chatframe", &[("readme.txt", b"hi")]);
    let err = studio.import(&empty).unwrap_err();
    assert_eq!(err.code(), "BAD_BUNDLE");
    assert!(err.to_string().contains("project.chatframe.json"), "{err}");

    let no_media = zip_with("nomedia.chatframe", &[("project.chatframe.json", doc.as_bytes())]);
    let err = studio.import(&no_media).unwrap_err();
    assert!(matches!(err, StudioError::Model(_)), "{err}");
    assert!(err.to_string().contains("messages[1].media: file not found in the bundle"), "{err}");

    let bad_doc = zip_with("baddoc.chatframe", &[("project.chatframe.json", b"{\"schemaVersion\": 1}")]);
    assert_eq!(studio.import(&bad_doc).unwrap_err().code(), "INVALID_FIELD");

    unchanged(&studio, 0);
    let png = png_bytes();
    let ok = zip_with("ok.chatframe", &[("project.chatframe.json", doc.as_bytes()), ("media/cat.png", &png)]);
    studio.import(&ok).unwrap();
    unchanged(&studio, 1);
}
