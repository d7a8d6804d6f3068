//! The Chatframe document: the project format (v1), its migrations and validation, and the
//! timeline that turns a conversation into timed events. Depends on nothing else of ours, so
//! every other crate (render, audio, export, studio, server) can share it.

mod color;
mod error;
mod load;
mod migrate;
mod project;
mod sample;
mod timeline;
mod validate;
mod voice;

pub use color::{Color, ParseColorError};
pub use error::{ErrorKind, ModelError};
pub use load::{LoadedProject, MAX_PROJECT_BYTES, load_project, parse_project, resolve_media};
pub use migrate::migrate;
pub use project::*;
pub use sample::starter_project;
pub use timeline::*;
pub use validate::*;
pub use voice::{DEFAULT_VOICES, VoiceOver, VoiceSettings};

/// JSON Schema of the project file, generated from the Rust types so it never drifts.
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Project)).expect("schema serializes");
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$id".into(), "https://chatframe.app/schema/project-v1.json".into());
        obj.insert("title".into(), "Chatframe project".into());
    }
    schema
}
