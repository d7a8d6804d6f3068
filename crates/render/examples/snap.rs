//! Renders one frame of a project to PNG: `cargo run -p chatframe-render --example snap -- P.json SECONDS OUT.png`.
//! A developer tool for looking at frames; users get `chatframe frame`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, project, at, out] = &args[..] else {
        eprintln!("usage: snap PROJECT SECONDS OUT.png");
        std::process::exit(2);
    };
    let loaded = chatframe_model::load_project(std::path::Path::new(project)).unwrap_or_else(|e| panic!("{e}"));
    let mut r = chatframe_render::Renderer::new(loaded.project, &loaded.base_dir).unwrap_or_else(|e| panic!("{e}"));
    let t = (at.parse::<f64>().expect("seconds") * 1e6) as i64;
    let start = std::time::Instant::now();
    r.render(t);
    let first = start.elapsed();
    let start = std::time::Instant::now();
    r.render(t);
    eprintln!("first {:?}, again {:?}, duration {:.2}s", first, start.elapsed(), r.timeline().duration as f64 / 1e6);
    r.render(t).save_png(out).expect("write png");
}
