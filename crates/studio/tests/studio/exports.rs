//! The export queue on the real engine and the system ffmpeg: a queued export becomes a playable
//! file with the project's sound, a queued job cancels at once, bad requests name the field, and
//! an export lands in the folder and under the name the user chose, replacing nothing unasked.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chatframe_studio::{ExportJob, ExportQueue, ExportRequest, ExportState};

use crate::starter_session;

fn request(format: &str, path: Option<&Path>) -> ExportRequest {
    ExportRequest {
        format: format.into(),
        preset: Some("9x16-720p".into()),
        fps: None,
        path: path.map(|p| p.display().to_string()),
        ..ExportRequest::default()
    }
}

fn wait(queue: &ExportQueue, id: &str) -> ExportJob {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let job = queue.list().into_iter().find(|j| j.id == id).expect("the job is listed");
        if !matches!(job.state, ExportState::Queued | ExportState::Running) {
            return job;
        }
        assert!(Instant::now() < deadline, "export did not finish: {job:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn probe(path: &Path, entries: &str) -> String {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", entries, "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_queued_export_is_the_video_with_its_sound() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let job =
        queue.enqueue(s.id(), s.project().clone(), s.base_dir().to_path_buf(), &request("mp4", None), None).unwrap();
    assert_eq!(job.state, ExportState::Queued);
    assert!(job.path.ends_with(".mp4") && job.path.starts_with(&dir.path().join("exports").display().to_string()));
    let done = wait(&queue, &job.id);
    assert_eq!(done.state, ExportState::Done, "{:?}", done.error);
    assert_eq!(done.frames_done, done.total_frames);

    let path = Path::new(&done.path);
    let streams = probe(path, "stream=codec_type,codec_name,width,height");
    assert!(streams.contains("h264,video,720,1280"), "{streams}");
    assert!(streams.contains("aac,audio"), "the export carries the soundtrack: {streams}");
    // The send/receive sounds are in it: the loudest sample is well above silence.
    let vol = Command::new("ffmpeg")
        .args(["-v", "info", "-i"])
        .arg(path)
        .args(["-map", "0:a", "-af", "volumedetect", "-f", "null", "-"])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&vol.stderr);
    let max_db: f64 = log
        .lines()
        .find_map(|l| l.split("max_volume:").nth(1))
        .and_then(|v| v.trim().trim_end_matches(" dB").parse().ok())
        .expect("volumedetect reports max_volume");
    assert!(max_db > -30.0, "audible sounds expected, max {max_db} dB");
    // The video is as long as the export's timeline, to the frame.
    let secs: f64 = probe(path, "format=duration").trim().parse().unwrap();
    let timeline = chatframe_export::timeline(s.project(), s.base_dir());
    let expected = timeline.frame_count() as f64 / f64::from(timeline.fps);
    assert!((secs - expected).abs() <= 1.5 / f64::from(timeline.fps) + 0.05, "{secs} s vs {expected} s");
}

#[test]
fn a_queued_job_cancels_at_once_and_leaves_no_file() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let (project, base) = (s.project().clone(), s.base_dir().to_path_buf());
    let first = queue.enqueue(s.id(), project.clone(), base.clone(), &request("mp4", None), None).unwrap();
    let second_path = dir.path().join("second.mp4");
    let second = queue.enqueue(s.id(), project, base, &request("webm", Some(&second_path)), None).unwrap();
    assert_ne!(first.path, second.path, "each job gets its own output");
    let cancelled = queue.cancel(&second.id).unwrap();
    assert_eq!(cancelled.state, ExportState::Cancelled);
    queue.cancel(&first.id).unwrap();
    let first = wait(&queue, &first.id);
    assert_eq!(first.state, ExportState::Cancelled);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!second_path.exists() && !Path::new(&first.path).exists(), "no partial output");
    assert_eq!(queue.cancel("nope").unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn bad_requests_are_refused_before_queueing() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let (project, base) = (s.project().clone(), s.base_dir().to_path_buf());
    let e = queue.enqueue(s.id(), project.clone(), base.clone(), &request("avi", None), None).unwrap_err();
    assert_eq!(e.code(), "INVALID_FORMAT", "{e}");
    let mut r = request("mp4", None);
    r.preset = Some("9x16-8k".into());
    let e = queue.enqueue(s.id(), project, base, &r, None).unwrap_err();
    assert_eq!(e.code(), "INVALID_PRESET", "{e}");
    assert!(e.to_string().contains("9x16-8k"), "{e}");
    assert!(queue.list().is_empty());
}

/// A request for `name` in `folder` (no explicit path): what the export dialog sends.
fn placed(format: &str, folder: &Path, name: &str) -> ExportRequest {
    ExportRequest {
        format: format.into(),
        preset: Some("9x16-720p".into()),
        folder: Some(folder.display().to_string()),
        name: Some(name.into()),
        ..ExportRequest::default()
    }
}

#[test]
fn an_export_goes_to_the_chosen_folder_under_the_chosen_name() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let folder = dir.path().join("My videos").join("Shorts");
    let (project, base) = (s.project().clone(), s.base_dir().to_path_buf());
    let job = queue.enqueue(s.id(), project, base, &placed("wav", &folder, "Snow day ☃"), None).unwrap();
    assert_eq!(Path::new(&job.path), folder.join("Snow day ☃.wav"), "the format's extension is added");
    let done = wait(&queue, &job.id);
    assert_eq!(done.state, ExportState::Done, "{done:?}");
    assert!(folder.join("Snow day ☃.wav").is_file(), "the folder was created and the file written");
    assert!(!dir.path().join("exports").exists(), "nothing went to the default folder");
}

#[test]
fn an_existing_file_is_replaced_only_when_asked() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let folder = dir.path().join("out");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("cut.wav"), b"the user's earlier cut").unwrap();
    let (project, base) = (s.project().clone(), s.base_dir().to_path_buf());
    let e = queue.enqueue(s.id(), project.clone(), base.clone(), &placed("wav", &folder, "cut.wav"), None).unwrap_err();
    assert_eq!(e.code(), "FILE_EXISTS", "{e}");
    assert!(e.to_string().contains("cut.wav"), "the message names the file: {e}");
    assert!(queue.list().is_empty(), "nothing was queued");
    assert_eq!(std::fs::read(folder.join("cut.wav")).unwrap(), b"the user's earlier cut");

    let mut replace = placed("wav", &folder, "cut");
    replace.overwrite = true;
    let job = queue.enqueue(s.id(), project, base, &replace, None).unwrap();
    assert_eq!(wait(&queue, &job.id).state, ExportState::Done);
    assert!(probe(&folder.join("cut.wav"), "stream=codec_type").contains("audio"), "replaced by the export");
}

#[test]
fn placement_mistakes_are_named_before_queueing() {
    let (dir, _studio, s) = starter_session();
    let queue = ExportQueue::start(dir.path().join("exports"));
    let (project, base) = (s.project().clone(), s.base_dir().to_path_buf());
    let relative = placed("mp4", Path::new("videos"), "a");
    let e = queue.enqueue(s.id(), project.clone(), base.clone(), &relative, None).unwrap_err();
    assert_eq!(e.code(), "INVALID_FOLDER", "{e}");
    let e = queue.enqueue(s.id(), project, base, &placed("mp4", dir.path(), "sub/clip"), None).unwrap_err();
    assert_eq!(e.code(), "INVALID_NAME", "{e}");
    assert!(queue.list().is_empty());
}

#[test]
fn the_suggested_name_is_the_project_name_made_unique() {
    let (dir, _studio, s) = starter_session();
    let folder = dir.path().join("out");
    let queue = ExportQueue::start(folder.clone());
    std::fs::create_dir_all(&folder).unwrap();
    let name = &s.project().name;
    assert_eq!(queue.suggested_name(name, "mp4".parse().unwrap(), None), format!("{name}.mp4"));
    std::fs::write(folder.join(format!("{name}.mp4")), b"taken").unwrap();
    assert_eq!(queue.suggested_name(name, "mp4".parse().unwrap(), None), format!("{name} 2.mp4"));
}
