use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chatframe"));
    c.env_remove("RUST_LOG");
    c
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().expect("chatframe runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small, short starter project (180×320, ~2.5 s) written to `dir/name`, after `edit`.
pub fn project(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let path = dir.join(name);
    let o = run(&["new", path.to_str().unwrap()], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["canvas"]["width"] = 180.into();
    v["canvas"]["height"] = 320.into();
    v["messages"].as_array_mut().unwrap().truncate(3);
    v["timing"] = serde_json::json!({"endHoldMs": 300});
    edit(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

/// Names in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// RGB24 pixels of a video frame or an image, decoded by ffmpeg.
pub fn decode_rgb(path: &Path, frame: Option<u64>) -> Vec<u8> {
    let mut c = Command::new("ffmpeg");
    c.args(["-v", "error", "-i"]).arg(path);
    let scale = "scale=in_color_matrix=bt709:in_range=tv:flags=bicubic+accurate_rnd+full_chroma_int";
    if let Some(n) = frame {
        c.args(["-vf", &format!("select=eq(n\\,{n}),{scale}")]);
    }
    let o = c.args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

pub fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mse = a.iter().zip(b).map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2)).sum::<f64>() / a.len() as f64;
    if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0 * 255.0 / mse).log10() }
}
