//! Voicing a whole project: every spoken line looked up in the cache, the misses synthesised in
//! parallel on all cores, with progress per line and cancel between lines. Each clip is stored as
//! soon as it is made, so a cancelled or failed run keeps everything it already generated.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chatframe_audio::CancelToken;
use chatframe_model::{MessageKind, Project};

use crate::cache::ClipRequest;
use crate::{ClipCache, Engines, Prosody, VoiceError, VoiceTrack, spoken_text_of};

/// One finished line, reported as it finishes.
#[derive(Debug, Clone, PartialEq)]
pub struct LineProgress {
    pub index: usize,
    /// Lines finished so far (hits included) and in all.
    pub done: usize,
    pub total: usize,
    /// Read from the cache rather than synthesised.
    pub cached: bool,
    /// Time this line took (synthesis or read).
    pub elapsed: Duration,
}

pub struct GenerateOptions<'a> {
    /// Checked before each line, so at most the lines already being spoken finish.
    pub cancel: CancelToken,
    /// Synthesis threads; 0 = one per core.
    pub threads: usize,
    pub progress: Option<&'a (dyn Fn(&LineProgress) + Sync)>,
}

impl Default for GenerateOptions<'_> {
    fn default() -> Self {
        GenerateOptions { cancel: CancelToken::new(), threads: 0, progress: None }
    }
}

/// One line to voice.
pub(crate) struct Line {
    pub(crate) index: usize,
    pub(crate) text: String,
    pub(crate) voice_id: String,
    pub(crate) prosody: Prosody,
}

/// Voices every spoken line of `project` through `cache`. Fails with the first line (in
/// document order) that cannot be spoken, after the others have been tried and stored.
pub fn generate(
    project: &Project,
    engines: &Engines,
    cache: &ClipCache,
    opts: &GenerateOptions<'_>,
) -> Result<VoiceTrack, VoiceError> {
    let lines = plan(project)?;
    let total = lines.len();
    let mut track = VoiceTrack::empty(project.messages.len());
    let done = AtomicUsize::new(0);
    let report = |index, cached, elapsed| {
        let done = done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(p) = opts.progress {
            p(&LineProgress { index, done, total, cached, elapsed });
        }
    };
    let line_err = |l: &Line, e: VoiceError| VoiceError::Line {
        json_path: format!("messages[{}]", l.index),
        text: l.text.clone(),
        source: Box::new(e),
    };

    // Hits first, on this thread: reading a clip is far cheaper than starting a thread for it.
    let mut misses = Vec::new();
    for l in &lines {
        if opts.cancel.is_cancelled() {
            return Err(VoiceError::Cancelled);
        }
        let started = Instant::now();
        // A voice that does not resolve is reported by the synthesis pass, in document order
        // with the other failures, after every other line has been tried.
        let hit = engines.resolve(&l.voice_id).ok().and_then(|(engine, voice)| {
            cache.lookup(engine.as_ref(), &ClipRequest { voice, text: &l.text, prosody: l.prosody })
        });
        match hit {
            Some(clip) => {
                track.set(l.index, clip, true, started.elapsed());
                report(l.index, true, started.elapsed());
            }
            None => misses.push(l),
        }
    }

    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(misses.len())
    .max(1);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(l) = misses.get(i) else { break };
                    if opts.cancel.is_cancelled() {
                        break;
                    }
                    let started = Instant::now();
                    let out = engines.resolve(&l.voice_id).and_then(|(engine, voice)| {
                        cache.get_or_synthesize(
                            engine.as_ref(),
                            &ClipRequest { voice, text: &l.text, prosody: l.prosody },
                        )
                    });
                    let elapsed = started.elapsed();
                    if out.is_ok() {
                        report(l.index, false, elapsed);
                    }
                    results.lock().expect("no panics while held").push((i, out, elapsed));
                }
            });
        }
    });
    if opts.cancel.is_cancelled() {
        return Err(VoiceError::Cancelled);
    }
    let mut results = results.into_inner().expect("threads joined");
    results.sort_by_key(|(i, _, _)| *i);
    for (i, out, elapsed) in results {
        let l = misses[i];
        track.set(l.index, out.map_err(|e| line_err(l, e))?, false, elapsed);
    }
    Ok(track)
}

/// The lines to voice, in document order. A message explicitly switched on that has nothing to
/// say is an error; one that is on only because the project is (an emoji reaction) is skipped.
pub(crate) fn plan(project: &Project) -> Result<Vec<Line>, VoiceError> {
    let mut lines = Vec::new();
    for (index, m) in project.messages.iter().enumerate() {
        if !project.is_voiced(index) {
            continue;
        }
        let Some(text) = spoken_text_of(project, index) else {
            if m.voice_over == Some(true) && m.kind == MessageKind::Text {
                let field = if m.spoken_text.is_some() { "spokenText" } else { "text" };
                return Err(VoiceError::EmptyLine { json_path: format!("messages[{index}].{field}") });
            }
            continue;
        };
        let Some(v) = project.voice_of(index) else { continue };
        lines.push(Line { index, text, voice_id: v.id, prosody: Prosody { pitch: v.pitch, rate: v.rate } });
    }
    Ok(lines)
}
