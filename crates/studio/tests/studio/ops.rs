use chatframe_studio::model::{
    Appearance, Avatar, Background, Canvas, Color, Header, Message, MessageKind, Participant, Platform, Reaction, Side,
    StatusBar, TimingOverride,
};
use chatframe_studio::{EditOp, Session};

use crate::starter_session;

fn text(id: &str, sender: &str, text: &str) -> Message {
    Message { id: id.into(), sender: Some(sender.into()), text: text.into(), ..Message::default() }
}

/// One op of every kind, each valid against the starter project after the ones before it.
pub fn every_op(s: &Session) -> Vec<EditOp> {
    let p = s.project();
    let first = p.messages[1].id.clone();
    let last = p.messages.last().unwrap().id.clone();
    let mut theme = p.theme.clone();
    theme.input_typing = !theme.input_typing;
    let mut timing = p.timing.clone();
    timing.gap_ms = 400;
    let mut audio = p.audio.clone();
    audio.sfx_volume = 0.5;
    let mut edited = p.messages[2].clone();
    edited.text = "Edited in place".into();
    edited.receipt = Some(chatframe_studio::model::Receipt::Delivered);
    vec![
        EditOp::SetName { name: "Renamed".into() },
        EditOp::AddMessage { index: None, message: text("", "sam", "appended with a fresh id") },
        EditOp::AddMessage { index: Some(1), message: text("x1", "me", "inserted") },
        EditOp::UpdateMessage { message: edited },
        EditOp::SetMessageText { id: first.clone(), text: "New text".into() },
        EditOp::SetSender { id: first.clone(), sender: Some("me".into()) },
        EditOp::SetMessageTiming {
            id: first.clone(),
            timing: TimingOverride { delay_ms: Some(100), typing_ms: Some(0), hold_ms: Some(900) },
        },
        EditOp::MoveMessage { id: "x1".into(), to: 4 },
        EditOp::AddReaction {
            id: first.clone(),
            index: None,
            reaction: Reaction { emoji: "😂".into(), from: None, delay_ms: Some(300) },
        },
        EditOp::RemoveReaction { id: last.clone(), index: 0 },
        EditOp::DeleteMessage { id: last },
        EditOp::AddParticipant {
            index: None,
            participant: Participant {
                id: "kim".into(),
                name: "Kim".into(),
                side: Side::Them,
                avatar: Some(Avatar::Initials { initials: "K".into(), color: Color::hex(0x30d158) }),
                color: None,
                voice: None,
            },
        },
        EditOp::UpdateParticipant {
            participant: Participant {
                id: "kim".into(),
                name: "Kimberly".into(),
                side: Side::Them,
                avatar: None,
                color: None,
                voice: None,
            },
        },
        EditOp::MoveParticipant { id: "kim".into(), to: 0 },
        EditOp::RemoveParticipant { id: "kim".into() },
        EditOp::SetTheme { theme },
        EditOp::SetPlatform { platform: Platform::Whatsapp },
        EditOp::SetAppearance { appearance: Appearance::Dark },
        EditOp::SetHeader {
            header: Header { title: Some("Sam 🎿".into()), subtitle: Some("online".into()), avatar: None },
        },
        EditOp::SetStatusBar { status_bar: StatusBar { shown: true, time: "23:59".into(), battery: 12, signal: 2 } },
        EditOp::SetCanvas {
            canvas: Canvas {
                width: 1080,
                height: 1080,
                fps: 60,
                background: Background::Solid { color: Color::hex(0x101010) },
            },
        },
        EditOp::SetTiming { timing },
        EditOp::SetAudio { audio },
        EditOp::Batch {
            ops: vec![
                EditOp::AddMessage {
                    index: Some(0),
                    message: Message {
                        id: "d1".into(),
                        kind: MessageKind::Date,
                        text: "Yesterday".into(),
                        ..Message::default()
                    },
                },
                EditOp::SetMessageText { id: "d1".into(), text: "Monday".into() },
                EditOp::MoveMessage { id: "d1".into(), to: 2 },
            ],
        },
    ]
}

#[test]
fn every_op_applies_and_undo_redo_round_trip_it() {
    let (_dir, _studio, mut s) = starter_session();
    for op in every_op(&s) {
        let before = s.project().clone();
        let rev = s.revision();
        let label = format!("{op:?}");
        let r = s.apply(op).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(r.revision, rev + 1);
        assert!(!r.changes.is_empty(), "{label} reports what changed");
        assert!(r.can_undo && !r.can_redo);
        let after = s.project().clone();
        assert_ne!(before, after, "{label} changed the document");

        let u = s.undo().unwrap().expect("something to undo");
        assert_eq!(s.project(), &before, "undo of {label}");
        assert!(u.can_redo);
        let r2 = s.redo().unwrap().expect("something to redo");
        assert_eq!(s.project(), &after, "redo of {label}");
        assert_eq!(r2.revision, rev + 3, "undo and redo are acknowledged changes too");
    }
}

#[test]
fn changes_name_the_touched_messages_with_their_new_state() {
    let (_dir, _studio, mut s) = starter_session();
    let id = s.project().messages[1].id.clone();
    let r = s.apply(EditOp::SetMessageText { id: id.clone(), text: "hello".into() }).unwrap();
    assert_eq!(r.changes.messages.len(), 1);
    assert_eq!((r.changes.messages[0].index, r.changes.messages[0].message.text.as_str()), (1, "hello"));
    assert!(!r.changes.order && !r.changes.theme);
    assert_eq!(r.changes.messages[0].seek_us, s.seek_to_message(&id).unwrap(), "where the editor shows it");
    assert!(r.changes.messages[0].seek_us > 0);

    let r = s.apply(EditOp::DeleteMessage { id: id.clone() }).unwrap();
    assert_eq!(r.changes.removed_messages, vec![id.clone()]);
    assert!(r.changes.order);
    let r = s.undo().unwrap().unwrap();
    assert_eq!(r.changes.messages[0].message.id, id, "undo of a delete reports the message back");

    let r = s.apply(EditOp::SetAppearance { appearance: Appearance::Dark }).unwrap();
    assert!(r.changes.theme && r.changes.messages.is_empty());
}

#[test]
fn invalid_ops_are_refused_with_a_clear_error_and_change_nothing() {
    let (_dir, _studio, mut s) = starter_session();
    let first = s.project().messages[1].id.clone();
    let cases: Vec<(EditOp, &str, &str)> = vec![
        (EditOp::DeleteMessage { id: "nope".into() }, "INVALID_OP", "no message with id \"nope\""),
        (EditOp::MoveMessage { id: first.clone(), to: 99 }, "INVALID_OP", "out of range"),
        (EditOp::SetSender { id: first.clone(), sender: Some("ghost".into()) }, "INVALID_EDIT", "messages[1].sender"),
        (EditOp::SetMessageText { id: first.clone(), text: "x".repeat(5_001) }, "INVALID_EDIT", "messages[1].text"),
        (EditOp::SetMessageText { id: first.clone(), text: "  ".into() }, "INVALID_EDIT", "must not be empty"),
        (EditOp::RemoveParticipant { id: "sam".into() }, "INVALID_OP", "used by"),
        (
            EditOp::AddParticipant {
                index: None,
                participant: Participant {
                    id: "me".into(),
                    name: "Dup".into(),
                    side: Side::Me,
                    avatar: None,
                    color: None,
                    voice: None,
                },
            },
            "INVALID_OP",
            "already exists",
        ),
        (
            EditOp::SetCanvas { canvas: Canvas { width: 7, height: 1920, fps: 30, background: Background::Theme } },
            "INVALID_EDIT",
            "canvas.width",
        ),
        (EditOp::RemoveReaction { id: first.clone(), index: 3 }, "INVALID_OP", "no reaction"),
        // A batch fails as a whole and names the failing op; its earlier ops are rolled back.
        (
            EditOp::Batch {
                ops: vec![EditOp::SetName { name: "half".into() }, EditOp::DeleteMessage { id: "nope".into() }],
            },
            "INVALID_OP",
            "ops[1]: no message",
        ),
        (
            EditOp::Batch {
                ops: vec![
                    EditOp::SetName { name: "half".into() },
                    EditOp::SetSender { id: first.clone(), sender: None },
                ],
            },
            "INVALID_EDIT",
            "sender",
        ),
    ];
    let before = s.project().clone();
    let rev = s.revision();
    for (op, code, msg) in cases {
        let label = format!("{op:?}");
        let err = s.apply(op).expect_err(&label);
        assert_eq!(err.code(), code, "{label}: {err}");
        assert!(err.to_string().contains(msg), "{label}: {err}");
        assert_eq!(s.project(), &before, "{label} changed nothing");
        assert_eq!(s.revision(), rev);
        assert!(!s.can_undo());
    }
}

#[test]
fn a_new_edit_clears_the_redo_stack() {
    let (_dir, _studio, mut s) = starter_session();
    s.apply(EditOp::SetName { name: "a".into() }).unwrap();
    s.apply(EditOp::SetName { name: "b".into() }).unwrap();
    s.undo().unwrap();
    assert!(s.can_redo());
    s.apply(EditOp::SetName { name: "c".into() }).unwrap();
    assert!(!s.can_redo());
    assert!(s.redo().unwrap().is_none());
    s.undo().unwrap();
    assert_eq!(s.project().name, "a");
    s.undo().unwrap();
    assert_eq!(s.project().name, "Test");
    assert!(s.undo().unwrap().is_none(), "nothing left to undo");
}

#[test]
fn ops_serialize_as_tagged_camel_case_json() {
    let op = EditOp::SetStatusBar { status_bar: StatusBar::default() };
    let json = serde_json::to_value(&op).unwrap();
    assert_eq!(json["op"], "setStatusBar");
    assert!(json.get("statusBar").is_some());
    let parsed: EditOp = serde_json::from_str(r#"{"op":"addMessage","message":{"sender":"me","text":"hi"}}"#).unwrap();
    assert!(matches!(parsed, EditOp::AddMessage { index: None, .. }));
}
