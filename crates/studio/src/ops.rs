//! Edit operations: the only way the UI, the CLI and the automation API change a document.
//! Each op applied to a project yields its inverse, which is what undo applies; both are stored
//! in the journal so undo/redo survive a restart.

use chatframe_model::{
    Appearance, AudioSettings, Canvas, Header, Message, Micros, Participant, Platform, Reaction, StatusBar, Theme,
    TimingDefaults, TimingOverride,
};
use serde::{Deserialize, Serialize};

/// One edit. Serialized as `{"op": "addMessage", ...}` with camelCase fields, the same shape
/// the TypeScript bindings and the journal use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum EditOp {
    SetName {
        name: String,
    },
    /// Inserts at `index` (appends when absent). An empty `message.id` gets a fresh one; the
    /// journal stores the op with that id so redo recreates the same message.
    AddMessage {
        #[serde(default)]
        index: Option<usize>,
        message: Message,
    },
    /// Replaces the message with the same id (edit in place: text, kind, media, receipt...).
    UpdateMessage {
        message: Message,
    },
    /// The most frequent edit, kept small in the journal.
    SetMessageText {
        id: String,
        text: String,
    },
    DeleteMessage {
        id: String,
    },
    /// Moves a message so it ends up at index `to` (drag to reorder).
    MoveMessage {
        id: String,
        to: usize,
    },
    SetSender {
        id: String,
        sender: Option<String>,
    },
    SetMessageTiming {
        id: String,
        timing: TimingOverride,
    },
    AddReaction {
        id: String,
        #[serde(default)]
        index: Option<usize>,
        reaction: Reaction,
    },
    RemoveReaction {
        id: String,
        index: usize,
    },
    AddParticipant {
        #[serde(default)]
        index: Option<usize>,
        participant: Participant,
    },
    /// Replaces the participant with the same id (name, side, avatar, color, voice).
    UpdateParticipant {
        participant: Participant,
    },
    /// Refused while messages or reactions still refer to the participant: send a `batch` that
    /// deletes or reassigns them first, so one undo brings everything back.
    RemoveParticipant {
        id: String,
    },
    MoveParticipant {
        id: String,
        to: usize,
    },
    SetTheme {
        theme: Theme,
    },
    SetPlatform {
        platform: Platform,
    },
    SetAppearance {
        appearance: Appearance,
    },
    SetHeader {
        header: Header,
    },
    SetStatusBar {
        status_bar: StatusBar,
    },
    SetCanvas {
        canvas: Canvas,
    },
    SetTiming {
        timing: TimingDefaults,
    },
    SetAudio {
        audio: AudioSettings,
    },
    /// Several ops applied, validated, persisted and undone as one.
    Batch {
        ops: Vec<EditOp>,
    },
}

/// A message as it is after an edit, with its position, so a list view can patch one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessageAt {
    pub index: usize,
    pub message: Message,
    /// When the message is on screen with its entrance settled (what `seek_to_message` gives),
    /// so an editor can show the edit without asking again.
    pub seek_us: Micros,
}

/// What an edit (or undo/redo) changed, so the UI updates only what it must.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    /// Messages added or modified, with their current content.
    pub messages: Vec<MessageAt>,
    /// Ids of messages that no longer exist.
    pub removed_messages: Vec<String>,
    /// Message order or count changed: indexes of other messages may have shifted.
    pub order: bool,
    pub participants: bool,
    pub theme: bool,
    pub canvas: bool,
    pub timing: bool,
    pub audio: bool,
    pub name: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}
