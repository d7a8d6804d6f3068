//! `chatframe validate`: every problem of every file, each with its JSON path, in one pass.

use std::path::PathBuf;

use anyhow::Result;
use chatframe_model::{ModelError, SECOND, load_project};

use crate::exit::InvalidInput;

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Project files to check.
    #[arg(required = true)]
    projects: Vec<PathBuf>,
    /// Also print the timeline (when each message types, appears and sounds).
    #[arg(long)]
    timeline: bool,
}

pub fn run(args: ValidateArgs) -> Result<()> {
    let mut bad = 0;
    for path in &args.projects {
        let name = path.display();
        let loaded = match load_project(path) {
            Ok(l) => l,
            Err(e) => {
                bad += 1;
                print_problems(&name.to_string(), &e);
                continue;
            }
        };
        if let Err(e) = loaded.project.check_media(&loaded.base_dir) {
            bad += 1;
            print_problems(&name.to_string(), &e);
            continue;
        }
        let tl = chatframe_export::timeline(&loaded.project, &loaded.base_dir);
        let c = &loaded.project.canvas;
        println!(
            "{name}: ok ({} messages, {}x{} @ {} fps, {:.2} s, {} frames)",
            loaded.project.messages.len(),
            c.width,
            c.height,
            c.fps,
            tl.duration as f64 / SECOND as f64,
            tl.frame_count()
        );
        if args.timeline {
            print!("{}", tl.describe(&loaded.project));
        }
    }
    match bad {
        0 => Ok(()),
        n => Err(InvalidInput(format!("{n} of {} project files have problems", args.projects.len())).into()),
    }
}

/// One line per problem, `file: json.path: what is wrong`, like a compiler.
fn print_problems(file: &str, e: &ModelError) {
    for p in e.problems() {
        match p {
            ModelError::Read { .. } => println!("{p}"),
            _ => println!("{file}: {p}"),
        }
    }
}
