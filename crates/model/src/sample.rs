use crate::{Avatar, Color, Message, MessageKind, Participant, Project, Receipt, SCHEMA_VERSION, Side};

/// The project `chatframe new` writes: short, valid, and showing each basic feature once so a
/// creator can edit it rather than start from a blank page.
pub fn starter_project(name: &str) -> Project {
    let text = |sender: &str, text: &str| Message {
        kind: MessageKind::Text,
        sender: Some(sender.to_string()),
        text: text.to_string(),
        ..Message::default()
    };
    let mut messages = vec![
        Message { kind: MessageKind::Date, text: "Today 9:41 AM".into(), ..Message::default() },
        text("sam", "Are you still up? 👀"),
        text("me", "Yes, why?"),
        text("sam", "Look outside. Right now."),
        text("me", "Oh wow, snow?! ❄️"),
        text("sam", "First of the year 🎉"),
    ];
    messages[4].receipt = Some(Receipt::Read);
    messages[5].reactions.push(crate::Reaction { emoji: "❤️".into(), from: Some("me".into()), delay_ms: None });
    let mut p = Project {
        schema_version: SCHEMA_VERSION,
        id: String::new(),
        name: name.to_string(),
        canvas: Default::default(),
        theme: Default::default(),
        participants: vec![
            Participant { id: "me".into(), name: "Me".into(), side: Side::Me, avatar: None, color: None, voice: None },
            Participant {
                id: "sam".into(),
                name: "Sam".into(),
                side: Side::Them,
                avatar: Some(Avatar::Initials { initials: "S".into(), color: Color::hex(0xff9f0a) }),
                color: None,
                voice: None,
            },
        ],
        messages,
        audio: Default::default(),
        timing: Default::default(),
    };
    p.assign_missing_ids();
    p
}
