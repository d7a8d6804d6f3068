//! Golden images: each look x appearance at the moments that matter (typing, mid-animation,
//! scrolled). Compared with a tolerance (PSNR) rather than byte equality so font rasterizer or
//! resampler updates do not break the build, while any real visual change does.
//!
//! Intended change? `make accept-goldens` (CHATFRAME_ACCEPT_GOLDENS=1) rewrites them; review the
//! PNGs in the diff before committing. Failures leave `*.actual.png` beside the golden.

use std::path::PathBuf;

use chatframe_model::{Appearance, MS, Micros, Platform, Timeline, TypingStyle};
use chatframe_render::{Pixmap, Renderer};

/// Below this PSNR a frame is considered visually different.
const MIN_PSNR_DB: f64 = 38.0;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/goldens")
}

pub fn psnr(a: &Pixmap, b: &Pixmap) -> f64 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "size differs");
    let mse = a.data().iter().zip(b.data()).map(|(x, y)| (*x as f64 - *y as f64).powi(2)).sum::<f64>()
        / a.data().len() as f64;
    if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0f64 * 255.0 / mse).log10() }
}

/// The moments pinned per look: while the other side types, halfway through a bubble's
/// entrance, and late in the chat when it has scrolled.
fn moments(tl: &Timeline) -> Vec<(&'static str, Micros)> {
    let typing = tl
        .entries
        .iter()
        .find_map(|e| match e.typing {
            Some((start, TypingStyle::Indicator)) if e.index > 3 => Some(start + (e.appear - start) / 2),
            _ => None,
        })
        .expect("a typing indicator");
    let mid = tl.entries[6].appear + 120 * MS;
    vec![("typing", typing), ("entering", mid), ("scrolled", tl.duration - 1)]
}

fn check(name: &str, frame: &Pixmap) -> Result<(), String> {
    let path = golden_dir().join(format!("{name}.png"));
    if std::env::var_os("CHATFRAME_ACCEPT_GOLDENS").is_some() {
        frame.save_png(&path).unwrap();
        return Ok(());
    }
    let golden = Pixmap::load_png(&path)
        .map_err(|e| format!("{name}: cannot read {} ({e}); run `make accept-goldens`", path.display()))?;
    let db = psnr(frame, &golden);
    if db < MIN_PSNR_DB {
        let actual = golden_dir().join(format!("{name}.actual.png"));
        frame.save_png(&actual).unwrap();
        return Err(format!("{name}: PSNR {db:.1} dB < {MIN_PSNR_DB} dB; see {}", actual.display()));
    }
    Ok(())
}

#[test]
fn goldens_every_look_and_appearance() {
    let mut failures = Vec::new();
    for platform in [Platform::Imessage, Platform::Whatsapp] {
        for appearance in [Appearance::Light, Appearance::Dark] {
            for group in [false, true] {
                let p = super::fixture(platform, appearance, group);
                let tl = Timeline::build(&p);
                let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
                for (moment, t) in moments(&tl) {
                    let name = format!(
                        "{}-{}-{}-{moment}",
                        platform.as_str(),
                        if appearance == Appearance::Dark { "dark" } else { "light" },
                        if group { "group" } else { "direct" }
                    );
                    if let Err(e) = check(&name, r.render(t)) {
                        failures.push(e);
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn goldens_framed_landscape_and_rtl() {
    let mut p = super::fixture(Platform::Imessage, Appearance::Light, false);
    p.canvas.width = 640;
    p.canvas.height = 360;
    p.canvas.background = chatframe_model::Background::Gradient {
        from: "#ff7e5f".parse().unwrap(),
        to: "#6a5acd".parse().unwrap(),
        angle: 135.0,
    };
    let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
    let t = r.timeline().duration - 1;
    let mut failures: Vec<String> = check("imessage-landscape-gradient", r.render(t)).err().into_iter().collect();

    let mut p = chatframe_model::load_project(&super::samples_dir().join("rtl-cjk.chatframe.json")).unwrap().project;
    p.canvas.width = 360;
    p.canvas.height = 640;
    let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
    let t = r.timeline().duration - 1;
    failures.extend(check("rtl-cjk-scrolled", r.render(t)).err());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn goldens_imessage_photo_captions() {
    let mut failures = Vec::new();
    for appearance in [Appearance::Light, Appearance::Dark] {
        let mut r = Renderer::new(super::captions::captions_chat(appearance), &super::samples_dir()).unwrap();
        let t = r.timeline().duration - 1;
        let name = format!("imessage-{}-captions", if appearance == Appearance::Dark { "dark" } else { "light" });
        failures.extend(check(&name, r.render(t)).err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn goldens_blurred_stage() {
    let mut failures = Vec::new();
    for (platform, appearance, (w, h)) in [
        (Platform::Imessage, Appearance::Light, (640, 360)),
        (Platform::Imessage, Appearance::Dark, (640, 360)),
        (Platform::Whatsapp, Appearance::Light, (480, 480)),
    ] {
        let mut p = super::fixture(platform, appearance, false);
        (p.canvas.width, p.canvas.height) = (w, h);
        p.canvas.background = chatframe_model::Background::Blur;
        let mut r = Renderer::new(p, &super::samples_dir()).unwrap();
        let t = r.timeline().duration - 1;
        let name = format!(
            "{}-{}-{w}x{h}-blur-stage",
            platform.as_str(),
            if appearance == Appearance::Dark { "dark" } else { "light" }
        );
        failures.extend(check(&name, r.render(t)).err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
