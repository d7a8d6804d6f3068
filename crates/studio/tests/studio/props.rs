//! Random edit sequences: whatever the UI sends, undo-all restores the original, redo-all the
//! final state, a refused op changes nothing, and the library holds the final state.

use chatframe_studio::model::{Appearance, Message, Participant, Platform, Project, Reaction, Side, TimingOverride};
use chatframe_studio::{EditOp, Studio};
use proptest::prelude::*;

type Seed = (u8, u16, u16, String);

fn seed() -> impl Strategy<Value = Seed> {
    (0u8..15, any::<u16>(), any::<u16>(), "[a-z😀 ]{0,12}")
}

fn msg_id(p: &Project, a: u16) -> String {
    if p.messages.is_empty() { "none".into() } else { p.messages[a as usize % p.messages.len()].id.clone() }
}

fn part_id(p: &Project, a: u16) -> String {
    p.participants[a as usize % p.participants.len()].id.clone()
}

/// Turns a random seed into an op aimed at the current document: mostly valid, sometimes not
/// (empty text, dangling sender, out-of-range index), which must then be refused cleanly.
fn op_for(p: &Project, (kind, a, b, text): &Seed) -> EditOp {
    let (a, b) = (*a, *b);
    let len = p.messages.len();
    match kind {
        0 => EditOp::AddMessage {
            index: Some(a as usize % (len + 1)),
            message: Message { sender: Some(part_id(p, b)), text: format!("m{text}"), ..Message::default() },
        },
        1 => EditOp::SetMessageText { id: msg_id(p, a), text: text.clone() },
        2 => EditOp::DeleteMessage { id: msg_id(p, a) },
        3 => EditOp::MoveMessage { id: msg_id(p, a), to: b as usize % (len + 1) },
        4 => EditOp::SetSender { id: msg_id(p, a), sender: (b % 5 != 0).then(|| part_id(p, b)) },
        5 => EditOp::AddReaction {
            id: msg_id(p, a),
            index: None,
            reaction: Reaction {
                emoji: ["❤️", "😂", "👍"][b as usize % 3].into(),
                from: Some(part_id(p, b)),
                delay_ms: None,
            },
        },
        6 => EditOp::RemoveReaction { id: msg_id(p, a), index: b as usize % 2 },
        7 => EditOp::AddParticipant {
            index: None,
            participant: Participant {
                id: format!("p{}", a % 8),
                name: format!("P{text}"),
                side: if b % 2 == 0 { Side::Me } else { Side::Them },
                avatar: None,
                color: None,
                voice: None,
            },
        },
        8 => EditOp::RemoveParticipant { id: part_id(p, a) },
        9 => {
            if a % 2 == 0 {
                EditOp::SetAppearance { appearance: if b % 2 == 0 { Appearance::Dark } else { Appearance::Light } }
            } else {
                EditOp::SetPlatform { platform: Platform::ALL[b as usize % Platform::ALL.len()] }
            }
        }
        10 => EditOp::SetMessageTiming {
            id: msg_id(p, a),
            timing: TimingOverride { delay_ms: Some(u32::from(b)), typing_ms: None, hold_ms: Some(u32::from(a) * 20) },
        },
        11 => EditOp::Batch {
            ops: vec![
                op_for(p, &(a as u8 % 11, b, a, text.clone())),
                op_for(p, &(b as u8 % 11, a, b, format!("{text}!"))),
            ],
        },
        12 => EditOp::SetName { name: text.clone() },
        13 => {
            let mut who = p.participants[a as usize % p.participants.len()].clone();
            who.name = format!("{text}.");
            EditOp::UpdateParticipant { participant: who }
        }
        _ => EditOp::MoveParticipant { id: part_id(p, a), to: b as usize % p.participants.len() },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_the_original_and_redo_all_the_final(seeds in prop::collection::vec(seed(), 1..25)) {
        let dir = crate::temp_dir();
        let lib = dir.path().join("library.sqlite3");
        let mut studio = Studio::open(&lib).unwrap();
        let id = studio
            .create(&chatframe_studio::CreateProject { name: None, template: chatframe_studio::Template::Starter })
            .unwrap()
            .id;
        let mut s = studio.open_project(&id).unwrap();
        let original = s.project().clone();
        let mut applied = 0;
        for seed in &seeds {
            let op = op_for(s.project(), seed);
            let before = s.project().clone();
            let rev = s.revision();
            match s.apply(op) {
                Ok(r) => {
                    applied += 1;
                    prop_assert_eq!(r.revision, rev + 1);
                    s.project().validate().unwrap();
                }
                Err(_) => {
                    prop_assert_eq!(s.project(), &before);
                    prop_assert_eq!(s.revision(), rev);
                }
            }
        }
        let last = s.project().clone();
        for _ in 0..applied {
            s.undo().unwrap().unwrap();
        }
        prop_assert!(!s.can_undo());
        prop_assert_eq!(s.project(), &original);
        for _ in 0..applied {
            s.redo().unwrap().unwrap();
        }
        prop_assert_eq!(s.project(), &last);
        drop(s);
        let reopened = Studio::open(&lib).unwrap().open_project(&id).unwrap();
        prop_assert_eq!(reopened.project(), &last);
    }
}
