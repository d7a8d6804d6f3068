//! The project document (format v1). Field names are camelCase in JSON; every field but the
//! essentials has a default so a hand-written file can stay short. Unknown fields are refused so a
//! typo ("mesages") is reported instead of silently ignored.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Color;

/// The schema version this build writes. Older versions are migrated forward on load.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Project {
    /// Format version of this file; always written by the tools.
    pub schema_version: u32,
    /// Stable identifier (any string; the studio uses UUIDs).
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub canvas: Canvas,
    #[serde(default)]
    pub theme: Theme,
    pub participants: Vec<Participant>,
    pub messages: Vec<Message>,
    #[serde(default)]
    pub audio: AudioSettings,
    #[serde(default)]
    pub timing: TimingDefaults,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Canvas {
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    #[serde(default)]
    pub background: Background,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas { width: 1080, height: 1920, fps: 30, background: Background::Theme }
    }
}

/// What is drawn behind the bubbles (and around the phone screen when the canvas is not 9:16).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Background {
    /// The platform's own chat wallpaper.
    #[default]
    Theme,
    Solid {
        color: Color,
    },
    /// A linear gradient; `angle` in degrees, 0 = top to bottom, 90 = left to right.
    Gradient {
        from: Color,
        to: Color,
        #[serde(default)]
        angle: f32,
    },
    /// An image file (path relative to the project file), scaled to cover the canvas.
    Image {
        path: String,
    },
    /// Fully transparent, for overlay exports (MOV with alpha).
    Transparent,
    /// Around a framed phone (16:9, 1:1): a blurred, darkened copy of its screen as the chat
    /// ends, filling the canvas. A portrait canvas has no outside, so it shows the wallpaper.
    Blur,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    #[default]
    Imessage,
    Whatsapp,
    Messenger,
    Instagram,
    Discord,
    Telegram,
    Sms,
    Snapchat,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Platform::Imessage,
        Platform::Whatsapp,
        Platform::Messenger,
        Platform::Instagram,
        Platform::Discord,
        Platform::Telegram,
        Platform::Sms,
        Platform::Snapchat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Imessage => "imessage",
            Platform::Whatsapp => "whatsapp",
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
            Platform::Discord => "discord",
            Platform::Telegram => "telegram",
            Platform::Sms => "sms",
            Platform::Snapchat => "snapchat",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Appearance {
    #[default]
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    #[serde(default)]
    pub platform: Platform,
    #[serde(default)]
    pub appearance: Appearance,
    #[serde(default)]
    pub header: Header,
    #[serde(default)]
    pub status_bar: StatusBar,
    /// Show the "me" side typing into the input bar before each outgoing message.
    #[serde(default = "yes")]
    pub input_typing: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    /// Title shown in the header; defaults to the other participant's name, or the list of
    /// names in a group.
    #[serde(default)]
    pub title: Option<String>,
    /// Line under the title ("online", "3 people"); defaults per platform.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Header avatar; defaults to the other participant's avatar.
    #[serde(default)]
    pub avatar: Option<Avatar>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusBar {
    #[serde(default = "StatusBar::default_shown")]
    pub shown: bool,
    /// Clock text, e.g. "9:41".
    #[serde(default = "StatusBar::default_time")]
    pub time: String,
    /// Battery level in percent (0-100).
    #[serde(default = "StatusBar::default_battery")]
    pub battery: u8,
    /// Signal strength in bars (0-4).
    #[serde(default = "StatusBar::default_signal")]
    pub signal: u8,
}

impl StatusBar {
    fn default_shown() -> bool {
        true
    }
    fn default_time() -> String {
        "9:41".into()
    }
    fn default_battery() -> u8 {
        80
    }
    fn default_signal() -> u8 {
        4
    }
}

impl Default for StatusBar {
    fn default() -> Self {
        StatusBar {
            shown: true,
            time: Self::default_time(),
            battery: Self::default_battery(),
            signal: Self::default_signal(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The phone's owner: bubbles on the right.
    Me,
    /// Everyone else: bubbles on the left.
    Them,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Participant {
    /// Referenced by `messages[].sender`.
    pub id: String,
    pub name: String,
    pub side: Side,
    #[serde(default)]
    pub avatar: Option<Avatar>,
    /// Name color in group chats; picked from the platform palette when absent.
    #[serde(default)]
    pub color: Option<Color>,
    /// Voice for voice-over: an id (`"flite:slt"`) or `{id, pitch, rate, volume}`; a default
    /// voice when absent.
    #[serde(default)]
    #[schemars(with = "Option<crate::voice::VoiceField>")]
    pub voice: Option<crate::VoiceSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum Avatar {
    /// An image file, path relative to the project file.
    Image { image: String },
    /// Initials on a colored disc.
    Initials { initials: String, color: Color },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum MessageKind {
    #[default]
    Text,
    /// A photo (`media`), with optional caption (`text`).
    Image,
    /// A voice note; `media` is an audio file, its length sets the note's duration.
    VoiceNote,
    /// A centered system line ("Alex added Sam", "Messages are end-to-end encrypted").
    System,
    /// A centered date/time separator ("Today 9:41 AM").
    Date,
}

impl MessageKind {
    /// System lines and dates belong to no participant.
    pub fn has_sender(self) -> bool {
        !matches!(self, MessageKind::System | MessageKind::Date)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Receipt {
    Sent,
    Delivered,
    Read,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Message {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub kind: MessageKind,
    /// Participant id; required for text, image and voice notes.
    #[serde(default)]
    pub sender: Option<String>,
    #[serde(default)]
    pub text: String,
    /// Image or audio file for image messages and voice notes (relative to the project file).
    #[serde(default)]
    pub media: Option<String>,
    /// Clock time shown in the bubble on platforms that show one (WhatsApp); defaults to the
    /// status bar time.
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    /// Delivery state shown for outgoing messages ("Delivered"/"Read", ticks on WhatsApp).
    #[serde(default)]
    pub receipt: Option<Receipt>,
    #[serde(default)]
    pub timing: TimingOverride,
    /// Sound effect played when the message appears (overrides the send/receive sound).
    #[serde(default)]
    pub sound: Option<Sound>,
    /// What voice-over says instead of `text` (see docs/FORMAT.md for how `text` is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spoken_text: Option<String>,
    /// Speak this message (`true`) or not (`false`) whatever `audio.voiceOver.enabled` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_over: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reaction {
    pub emoji: String,
    /// Participant id of who reacted.
    #[serde(default)]
    pub from: Option<String>,
    /// Delay after the message appears before the reaction pops on (default 800 ms).
    #[serde(default)]
    pub delay_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sound {
    /// A built-in sound name (`send`, `receive`, `pop`, `ding`, `whoosh`, `none`) or an audio file.
    pub src: String,
    /// Linear gain, 1.0 = as recorded.
    #[serde(default)]
    pub volume: Option<f32>,
}

/// Per-message timing; each absent value is computed by auto pacing.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimingOverride {
    /// Pause before this message starts (before its typing indicator).
    #[serde(default)]
    pub delay_ms: Option<u32>,
    /// How long the sender types (typing indicator / input bar) before it is sent; 0 = none.
    #[serde(default)]
    pub typing_ms: Option<u32>,
    /// How long the message holds on screen before the next one starts.
    #[serde(default)]
    pub hold_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimingDefaults {
    /// Time before the first message.
    #[serde(default = "TimingDefaults::d_start")]
    pub start_delay_ms: u32,
    /// Time the last message stays on screen after its hold.
    #[serde(default = "TimingDefaults::d_end")]
    pub end_hold_ms: u32,
    /// Pause between messages when a message sets none.
    #[serde(default = "TimingDefaults::d_gap")]
    pub gap_ms: u32,
    /// Typing speed for auto typing time (characters per second).
    #[serde(default = "TimingDefaults::d_cps")]
    pub typing_cps: f32,
    #[serde(default = "TimingDefaults::d_min_typing")]
    pub min_typing_ms: u32,
    #[serde(default = "TimingDefaults::d_max_typing")]
    pub max_typing_ms: u32,
    /// Reading speed for auto hold time (words per minute).
    #[serde(default = "TimingDefaults::d_wpm")]
    pub reading_wpm: f32,
    #[serde(default = "TimingDefaults::d_min_hold")]
    pub min_hold_ms: u32,
    #[serde(default = "TimingDefaults::d_max_hold")]
    pub max_hold_ms: u32,
    /// Show a typing indicator before incoming messages.
    #[serde(default = "yes")]
    pub typing_indicator: bool,
}

impl TimingDefaults {
    fn d_start() -> u32 {
        500
    }
    fn d_end() -> u32 {
        1500
    }
    fn d_gap() -> u32 {
        150
    }
    fn d_cps() -> f32 {
        28.0
    }
    fn d_min_typing() -> u32 {
        500
    }
    fn d_max_typing() -> u32 {
        1600
    }
    fn d_wpm() -> f32 {
        320.0
    }
    fn d_min_hold() -> u32 {
        500
    }
    fn d_max_hold() -> u32 {
        2500
    }
}

impl Default for TimingDefaults {
    fn default() -> Self {
        TimingDefaults {
            start_delay_ms: Self::d_start(),
            end_hold_ms: Self::d_end(),
            gap_ms: Self::d_gap(),
            typing_cps: Self::d_cps(),
            min_typing_ms: Self::d_min_typing(),
            max_typing_ms: Self::d_max_typing(),
            reading_wpm: Self::d_wpm(),
            min_hold_ms: Self::d_min_hold(),
            max_hold_ms: Self::d_max_hold(),
            typing_indicator: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AudioSettings {
    #[serde(default)]
    pub music: Option<Music>,
    /// Gain of send/receive and per-message sounds.
    #[serde(default = "one")]
    pub sfx_volume: f32,
    /// Gain of voice-over and voice notes.
    #[serde(default = "one")]
    pub voice_volume: f32,
    /// Lower the music while voice plays (0 = off, 1 = mute music under voice).
    #[serde(default)]
    pub ducking: f32,
    /// Play the platform's send/receive sounds when bubbles appear.
    #[serde(default = "yes")]
    pub message_sounds: bool,
    /// Play a soft typing sound while the "me" side types.
    #[serde(default)]
    pub typing_sounds: bool,
    #[serde(default, skip_serializing_if = "crate::VoiceOver::is_default")]
    pub voice_over: crate::VoiceOver,
}

fn one() -> f32 {
    1.0
}

impl Default for AudioSettings {
    fn default() -> Self {
        AudioSettings {
            music: None,
            sfx_volume: 1.0,
            voice_volume: 1.0,
            ducking: 0.0,
            message_sounds: true,
            typing_sounds: false,
            voice_over: crate::VoiceOver::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Music {
    /// Audio file (mp3, wav, flac, ogg, m4a...), relative to the project file.
    pub src: String,
    #[serde(default = "Music::d_volume")]
    pub volume: f32,
    #[serde(default)]
    pub fade_in_ms: u32,
    #[serde(default = "Music::d_fade_out")]
    pub fade_out_ms: u32,
    /// Repeat the track when it is shorter than the video.
    #[serde(default = "yes", rename = "loop")]
    pub looped: bool,
    /// Start playing the file from this offset.
    #[serde(default)]
    pub offset_ms: u32,
}

impl Music {
    fn d_volume() -> f32 {
        0.35
    }
    fn d_fade_out() -> u32 {
        1000
    }
}
