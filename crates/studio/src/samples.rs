//! The sample projects the library offers, compiled into the binary: an installed app has no
//! checkout to read them from. They are written into the library's folder on open (the studio
//! imports a sample from a file, its media beside it). The `bench-party` benchmark fixture is
//! not a sample to start from: it lives in `assets/bench`. `--samples DIR` / `$CHATFRAME_SAMPLES` still point at a folder instead
//! (development, benchmarks).

use std::path::{Path, PathBuf};

macro_rules! sample {
    ($file:literal) => {
        ($file, include_bytes!(concat!("../../../assets/samples/", $file)).as_slice())
    };
}

/// Each file's path under the samples folder, and its bytes.
const FILES: &[(&str, &[u8])] = &[
    sample!("imessage-story.chatframe.json"),
    sample!("rtl-cjk.chatframe.json"),
    sample!("whatsapp-group.chatframe.json"),
    sample!("media/avatar-leo.png"),
    sample!("media/avatar-maya.png"),
    sample!("media/avatar-priya.png"),
    sample!("media/avatar-sam.png"),
    sample!("media/beach.png"),
    sample!("media/rooftop.png"),
];

/// Writes the embedded samples into `dir`, rewriting only files that differ (a newer app
/// brings newer samples; an unchanged launch writes nothing), and returns `dir`.
pub(crate) fn install(dir: &Path) -> std::io::Result<PathBuf> {
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|on_disk| on_disk == *bytes) {
            continue;
        }
        std::fs::create_dir_all(path.parent().expect("a file under dir"))?;
        std::fs::write(&path, bytes)?;
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_in_assets_is_embedded_with_its_media() {
        let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples");
        let mut on_disk: Vec<String> = std::fs::read_dir(&assets)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".chatframe.json"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(n, _)| *n).filter(|n| n.ends_with(".chatframe.json")).collect();
        assert_eq!(embedded, on_disk, "FILES lists every sample of assets/samples");
        for (name, bytes) in FILES.iter().filter(|(n, _)| n.ends_with(".chatframe.json")) {
            let project = chatframe_model::parse_project(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            for (field, file) in project.media_refs() {
                assert!(FILES.iter().any(|(n, _)| *n == file), "{name}: {field} = {file} is not embedded");
            }
        }
    }

    #[test]
    fn install_writes_the_samples_and_repairs_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        install(dir.path()).unwrap();
        for (name, bytes) in FILES {
            assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), *bytes, "{name}");
        }
        let story = dir.path().join("imessage-story.chatframe.json");
        std::fs::write(&story, "{}").unwrap();
        install(dir.path()).unwrap();
        assert_eq!(std::fs::read(&story).unwrap(), FILES[0].1);
    }
}
