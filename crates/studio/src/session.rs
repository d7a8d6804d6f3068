//! An editing session on one project: apply ops, undo/redo, persistence, preview.

use std::path::{Path, PathBuf};

use chatframe_audio::{MediaLengths, WithVoice};
use chatframe_model::{Micros, Project, Timeline, parse_project};
use chatframe_store::{DocUpdate, JournalStep, Store};
use serde::{Deserialize, Serialize};

use crate::apply::{Applied, Touched, apply, apply_validated};
use crate::ops::{Changes, EditOp};
use crate::playback::Soundtrack;
use crate::preview::Preview;
use crate::voiceover::{LazyVoices, VoiceStatus, is_voiced};
use crate::{StudioError, project_meta};
use chatframe_voice::{CachedVoice, VoiceError};
use std::sync::Arc;

/// The answer to an edit, an undo or a redo. Returned only after the change is durable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EditResult {
    /// The project's revision after the change (every acknowledged change bumps it by one).
    pub revision: u64,
    pub changes: Changes,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Video length after the change, in microseconds.
    pub duration_us: Micros,
    /// The voice-over after the change (which lines have clips, which are still to generate).
    pub voice: VoiceStatus,
}

/// Where a message sits on the timeline: one marker per message in the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub id: String,
    pub index: usize,
    /// When its typing starts (or it appears, when nobody types it).
    pub start_us: Micros,
    /// When the bubble is sent.
    pub appear_us: Micros,
}

/// Everything the editor needs to draw itself when it opens a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    pub id: String,
    pub revision: u64,
    pub project: Project,
    pub can_undo: bool,
    pub can_redo: bool,
    pub duration_us: Micros,
    pub voice: VoiceStatus,
    /// One per message; empty when the caller asked to fetch them separately (the editor does,
    /// after its first frame: on a 5,000-message chat they are a quarter of the state's bytes).
    pub markers: Vec<Marker>,
}

/// One open project. Holds its own connection to the library, so sessions, the library view
/// and other processes never block each other longer than one SQLite transaction.
pub struct Session {
    store: Store,
    id: String,
    project: Project,
    revision: u64,
    timeline: Timeline,
    undo: Vec<Applied>,
    /// Top of the stack is the next edit to redo.
    redo: Vec<Applied>,
    base_dir: PathBuf,
    /// Voice-note lengths, decoded once per file: the timeline holds a voice note as long as it
    /// plays, exactly as the export's does, so preview, playback and export agree to the frame.
    lengths: MediaLengths,
    preview: Preview,
    /// The mixed soundtrack of the last revision played: mixing takes a moment, and replaying
    /// an unchanged document should start at once.
    soundtrack: Option<Arc<Soundtrack>>,
    voices: Arc<LazyVoices>,
    /// The clips the cache holds for this revision's spoken lines: the timeline waits for each.
    voice: Result<CachedVoice, VoiceError>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("id", &self.id).field("revision", &self.revision).finish_non_exhaustive()
    }
}

impl Session {
    /// Loads the document at its last acknowledged revision and rebuilds undo/redo from the
    /// journal, so a restart (or a crash) continues exactly where the user was.
    pub(crate) fn open(store: Store, id: &str, voices: Arc<LazyVoices>) -> Result<Session, StudioError> {
        let record = store.project(id)?;
        if record.summary.trashed_at.is_some() {
            return Err(StudioError::Trashed { id: id.to_string() });
        }
        let project = parse_project(record.document.as_bytes())?;
        let lengths = MediaLengths::new(store.library_dir());
        let voice = cached_voice(&project, &voices, None);
        let mut session = Session {
            base_dir: store.library_dir(),
            id: id.to_string(),
            revision: record.summary.revision,
            timeline: build_timeline(&project, &lengths, &voice),
            lengths,
            voices,
            voice,
            project,
            undo: Vec::new(),
            redo: Vec::new(),
            preview: Preview::default(),
            soundtrack: None,
            store,
        };
        session.load_journal(record.journal_head)?;
        Ok(session)
    }

    fn load_journal(&mut self, head: u64) -> Result<(), StudioError> {
        let rows = self.store.journal(&self.id)?;
        let parsed: Result<Vec<(u64, Applied)>, serde_json::Error> = rows
            .iter()
            .map(|r| {
                Ok((r.seq, Applied { op: serde_json::from_str(&r.op)?, inverse: serde_json::from_str(&r.inverse)? }))
            })
            .collect();
        match parsed {
            Ok(rows) => {
                for (seq, step) in rows {
                    if seq <= head { self.undo.push(step) } else { self.redo.push(step) }
                }
                self.redo.reverse();
            }
            Err(e) => {
                // History written by an incompatible version: keep the document, drop the history.
                tracing::warn!(project = %self.id, error = %e, "edit journal unreadable; undo history cleared");
                self.store.clear_journal(&self.id)?;
            }
        }
        Ok(())
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The folder relative media paths of this project resolve against.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn state(&self) -> SessionState {
        SessionState { markers: self.markers(), ..self.state_without_markers() }
    }

    /// [`Session::state`] with an empty marker list, for callers that fetch the markers later.
    pub fn state_without_markers(&self) -> SessionState {
        SessionState {
            id: self.id.clone(),
            revision: self.revision,
            project: self.project.clone(),
            can_undo: self.can_undo(),
            can_redo: self.can_redo(),
            duration_us: self.timeline.duration,
            voice: self.voice_status(),
            markers: Vec::new(),
        }
    }

    /// Applies an edit, validates the result and persists document + journal row in one
    /// immediate transaction. Returns only once that transaction committed; on any error the
    /// document, the undo history and the library are exactly as before.
    pub fn apply(&mut self, op: EditOp) -> Result<EditResult, StudioError> {
        let mut touched = Touched::default();
        let applied = apply_validated(&mut self.project, op, &mut touched)?;
        let (op_json, inv_json) = (to_json(&applied.op), to_json(&applied.inverse));
        let step = JournalStep::Push { op: &op_json, inverse: &inv_json };
        if let Err(e) = self.persist(step) {
            crate::apply::revert(&mut self.project, &applied);
            return Err(e);
        }
        self.undo.push(applied);
        if self.undo.len() as u64 > chatframe_store::JOURNAL_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(self.finish(touched))
    }

    /// Undoes the last edit of the session (or of earlier sessions: the history is persistent).
    /// `Ok(None)` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<EditResult>, StudioError> {
        self.step(true)
    }

    /// Redoes the last undone edit; `Ok(None)` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<EditResult>, StudioError> {
        self.step(false)
    }

    fn step(&mut self, undo: bool) -> Result<Option<EditResult>, StudioError> {
        let Some(entry) = (if undo { self.undo.pop() } else { self.redo.pop() }) else {
            return Ok(None);
        };
        let (forward, backward) = if undo { (&entry.inverse, &entry.op) } else { (&entry.op, &entry.inverse) };
        let mut touched = Touched::default();
        let result = apply(&mut self.project, forward.clone(), &mut touched).and_then(|_| {
            let journal = if undo { JournalStep::Undo } else { JournalStep::Redo };
            self.persist(journal).inspect_err(|_| {
                let _ = apply(&mut self.project, backward.clone(), &mut Touched::default());
            })
        });
        if let Err(e) = result {
            if undo {
                self.undo.push(entry)
            } else {
                self.redo.push(entry)
            }
            return Err(e);
        }
        if undo {
            self.redo.push(entry)
        } else {
            self.undo.push(entry)
        }
        Ok(Some(self.finish(touched)))
    }

    /// Writes the in-memory document with `step`; bumps the revision only when committed.
    fn persist(&mut self, step: JournalStep<'_>) -> Result<(), StudioError> {
        let voice = cached_voice(&self.project, &self.voices, self.voice.as_ref().ok());
        let timeline = build_timeline(&self.project, &self.lengths, &voice);
        let meta = project_meta(&self.project, &timeline);
        let document = to_json(&self.project);
        let committed =
            self.store.commit(&self.id, self.revision, &DocUpdate { document: &document, meta: &meta }, step)?;
        self.revision = committed.revision;
        self.timeline = timeline;
        self.voice = voice;
        Ok(())
    }

    fn finish(&mut self, touched: Touched) -> EditResult {
        self.preview.invalidate();
        EditResult {
            revision: self.revision,
            changes: touched.into_changes(&self.project, &self.timeline),
            can_undo: self.can_undo(),
            can_redo: self.can_redo(),
            duration_us: self.timeline.duration,
            voice: self.voice_status(),
        }
    }

    /// What the voice-over holds at this revision.
    pub fn voice_status(&self) -> VoiceStatus {
        VoiceStatus::of(&self.project, &self.voice)
    }

    /// Picks up clips generated since the last edit (the voice-over job fills the cache): the
    /// timeline now waits for those lines, and the next play mixes them. The document and its
    /// revision are unchanged.
    pub fn refresh_voice(&mut self) -> SessionState {
        self.voice = cached_voice(&self.project, &self.voices, self.voice.as_ref().ok());
        self.timeline = build_timeline(&self.project, &self.lengths, &self.voice);
        self.soundtrack = None;
        self.preview.invalidate();
        self.state()
    }

    /// The voice-over clips the timeline was built with, for an export of this revision.
    pub fn voice_track(&self) -> Option<&chatframe_voice::VoiceTrack> {
        self.voice.as_ref().ok().map(|v| &v.track)
    }

    /// Re-reads the project from the library, e.g. after a [`StudioError::Store`] conflict
    /// because another window or the automation API changed it.
    pub fn reload(&mut self) -> Result<SessionState, StudioError> {
        let store = chatframe_store::Store::open(self.store.path())?;
        *self = Session::open(store, &self.id, self.voices.clone())?;
        Ok(self.state())
    }

    /// One marker per message, in document order.
    pub fn markers(&self) -> Vec<Marker> {
        self.timeline
            .entries
            .iter()
            .map(|e| Marker {
                id: self.project.messages[e.index].id.clone(),
                index: e.index,
                start_us: e.typing.map_or(e.appear, |(at, _)| at),
                appear_us: e.appear,
            })
            .collect()
    }

    /// The time at which the message is on screen and its entrance animation has settled.
    pub fn seek_to_message(&self, id: &str) -> Result<Micros, StudioError> {
        let i = self
            .project
            .messages
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(|| StudioError::op(format!("no message with id {id:?}")))?;
        Ok(settled_at(&self.timeline, i))
    }

    /// The soundtrack at the current revision, mixed on first use after each change.
    pub fn soundtrack(&mut self) -> Result<Arc<Soundtrack>, StudioError> {
        if let Some(s) = self.soundtrack.as_ref().filter(|s| s.revision == self.revision) {
            return Ok(s.clone());
        }
        let voice: &dyn chatframe_audio::VoiceClips = match &self.voice {
            Ok(v) => &v.track,
            Err(_) => &chatframe_audio::NoVoice,
        };
        let track =
            Arc::new(Soundtrack::mix(&self.id, self.revision, &self.project, &self.timeline, &self.base_dir, voice)?);
        self.soundtrack = Some(track.clone());
        Ok(track)
    }

    /// Renders the frame at `t` for the preview, no wider than `max_width` (straight RGBA8).
    pub fn preview_frame(&mut self, t: Micros, max_width: u32) -> Result<crate::PreviewFrame, StudioError> {
        self.preview.frame(&self.project, &self.timeline, &self.base_dir, t, max_width)
    }
}

/// The clips the cache holds for `project`'s spoken lines (nothing looked up when it speaks none).
fn cached_voice(
    project: &Project,
    voices: &LazyVoices,
    previous: Option<&CachedVoice>,
) -> Result<CachedVoice, VoiceError> {
    if !is_voiced(project) {
        return Ok(CachedVoice::default());
    }
    let v = voices.get();
    chatframe_voice::from_cache(project, v.engines(), v.cache(), previous)
}

/// The session's timeline: voice notes as long as they play, spoken lines as long as their clips.
fn build_timeline(project: &Project, lengths: &MediaLengths, voice: &Result<CachedVoice, VoiceError>) -> Timeline {
    match voice {
        Ok(v) => Timeline::build_with(project, &WithVoice { media: lengths, voice: &v.track }),
        Err(_) => Timeline::build_with(project, lengths),
    }
}

/// When message `i` is on screen with its entrance settled (the renderer's
/// [`ENTRANCE`](chatframe_render::ENTRANCE)): where seeking to a message lands, so the preview
/// shows it fully.
pub(crate) fn settled_at(timeline: &Timeline, i: usize) -> Micros {
    let e = &timeline.entries[i];
    (e.appear + chatframe_render::ENTRANCE).min(e.hold_end.max(e.appear)).min(timeline.duration)
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("documents and ops always serialize")
}
