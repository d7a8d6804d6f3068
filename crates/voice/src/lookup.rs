//! What the cache already holds of a project's voice-over, without synthesising anything: the
//! studio rebuilds this after every edit, so the timeline waits for each line that has a clip and
//! shows which lines are still to generate. Clips of lines that did not change are carried over
//! from the previous result in memory, so an edit reads at most the clips of the lines it touched.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chatframe_model::Project;

use crate::cache::ClipRequest;
use crate::generate::plan;
use crate::{Clip, ClipCache, Engines, VoiceError, VoiceTrack};

/// A project's voice-over as far as the cache has it.
#[derive(Debug, Default)]
pub struct CachedVoice {
    pub track: VoiceTrack,
    /// Spoken lines (message indexes) with no clip yet: what "Generate voice-over" would make.
    pub missing: Vec<usize>,
    /// Lines that cannot be voiced as they are (an engine that is not installed, a voice it does
    /// not have), by message index, with the reason.
    pub problems: Vec<(usize, VoiceError)>,
    /// Each voiced line's cache file, the key under which its clip is carried over.
    keys: HashMap<PathBuf, Arc<[f32]>>,
}

impl CachedVoice {
    /// How many lines the project speaks.
    pub fn spoken(&self) -> usize {
        self.track.lines().len() + self.missing.len() + self.problems.len()
    }
}

/// Looks up every spoken line of `project` in `previous` (in memory) and then in `cache` (on
/// disk). A line whose message is switched on but has nothing to say fails the whole lookup, as
/// [`crate::generate`] would.
pub fn from_cache(
    project: &Project,
    engines: &Engines,
    cache: &ClipCache,
    previous: Option<&CachedVoice>,
) -> Result<CachedVoice, VoiceError> {
    let mut out = CachedVoice { track: VoiceTrack::empty(project.messages.len()), ..Default::default() };
    for line in plan(project)? {
        let (engine, voice) = match engines.resolve(&line.voice_id) {
            Ok(found) => found,
            Err(e) => {
                out.problems.push((line.index, e));
                continue;
            }
        };
        let req = ClipRequest { voice, text: &line.text, prosody: line.prosody };
        let key = cache.path_for(engine.as_ref(), &req);
        let started = Instant::now();
        let remembered = previous.and_then(|p| p.keys.get(&key)).map(|samples| Clip { samples: samples.clone() });
        match remembered.or_else(|| cache.lookup(engine.as_ref(), &req)) {
            Some(clip) => {
                out.keys.insert(key, clip.samples.clone());
                out.track.set(line.index, clip, true, started.elapsed());
            }
            None => out.missing.push(line.index),
        }
    }
    Ok(out)
}
