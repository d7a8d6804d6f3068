//! Applying an [`EditOp`] to a project. Every op returns the op as applied (ids filled in,
//! indexes resolved) and its exact inverse; a failing op leaves the project as it was.

use std::collections::HashMap;

use chatframe_model::{Project, Timeline};

use crate::StudioError;
use crate::ops::{Changes, EditOp, MessageAt};
use crate::session::settled_at;

/// An op as applied and the op that undoes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Applied {
    pub op: EditOp,
    pub inverse: EditOp,
}

/// What an op touched, gathered while applying and turned into [`Changes`] at the end (a batch
/// may add then edit then move the same message; the UI gets its final state once).
#[derive(Debug, Default)]
pub(crate) struct Touched {
    messages: Vec<String>,
    order: bool,
    participants: bool,
    theme: bool,
    canvas: bool,
    timing: bool,
    audio: bool,
    name: bool,
}

impl Touched {
    fn message(&mut self, id: &str) {
        if !self.messages.iter().any(|m| m == id) {
            self.messages.push(id.to_string());
        }
    }

    pub fn merge(&mut self, other: Touched) {
        for id in &other.messages {
            self.message(id);
        }
        self.order |= other.order;
        self.participants |= other.participants;
        self.theme |= other.theme;
        self.canvas |= other.canvas;
        self.timing |= other.timing;
        self.audio |= other.audio;
        self.name |= other.name;
    }

    pub fn into_changes(self, project: &Project, timeline: &Timeline) -> Changes {
        let mut changes = Changes {
            order: self.order,
            participants: self.participants,
            theme: self.theme,
            canvas: self.canvas,
            timing: self.timing,
            audio: self.audio,
            name: self.name,
            ..Changes::default()
        };
        // One scan with a map when many messages changed (a batch over a long chat), else a
        // direct search: both keep this linear in the project size.
        let index: Option<HashMap<&str, usize>> = (self.messages.len() > 8)
            .then(|| project.messages.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect());
        for id in self.messages {
            let at = match &index {
                Some(map) => map.get(id.as_str()).copied(),
                None => project.messages.iter().position(|m| m.id == id),
            };
            match at {
                Some(index) => changes.messages.push(MessageAt {
                    index,
                    message: project.messages[index].clone(),
                    seek_us: settled_at(timeline, index),
                }),
                None => changes.removed_messages.push(id),
            }
        }
        changes.messages.sort_by_key(|m| m.index);
        changes
    }
}

/// Applies `op` and checks the whole resulting project with the model's validation; on any
/// error the project is restored and the error names the problem (`messages[3].sender: ...`).
pub(crate) fn apply_validated(
    project: &mut Project,
    op: EditOp,
    touched: &mut Touched,
) -> Result<Applied, StudioError> {
    let mut scratch = Touched::default();
    let applied = apply(project, op, &mut scratch)?;
    if let Err(e) = project.validate() {
        revert(project, &applied);
        return Err(StudioError::InvalidEdit(e));
    }
    touched.merge(scratch);
    Ok(applied)
}

/// Undoes an op that was just applied. Inverses are built to always apply to the state the op
/// produced, so failing here is a bug, not a user error.
pub(crate) fn revert(project: &mut Project, applied: &Applied) {
    if let Err(e) = apply(project, applied.inverse.clone(), &mut Touched::default()) {
        panic!("the inverse of an applied edit must apply: {e}");
    }
}

fn find_message(p: &Project, id: &str) -> Result<usize, StudioError> {
    p.messages.iter().position(|m| m.id == id).ok_or_else(|| StudioError::op(format!("no message with id {id:?}")))
}

fn find_participant(p: &Project, id: &str) -> Result<usize, StudioError> {
    p.participants
        .iter()
        .position(|m| m.id == id)
        .ok_or_else(|| StudioError::op(format!("no participant with id {id:?}")))
}

fn check_index(what: &str, index: usize, len: usize) -> Result<usize, StudioError> {
    if index > len {
        return Err(StudioError::op(format!("{what} index {index} is out of range (0..={len})")));
    }
    Ok(index)
}

/// A short random id (`m-3f9a0c1b2d`) not yet used; short because ids appear in every journal row.
pub(crate) fn fresh_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    loop {
        let id = format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        if !taken(&id) {
            return id;
        }
    }
}

/// Swaps a field for a new value and returns the old one: the body of every `Set*` op.
macro_rules! set {
    ($field:expr, $value:expr, $variant:ident, $name:ident, $flag:expr) => {{
        let old = std::mem::replace(&mut $field, $value.clone());
        $flag = true;
        Ok(Applied { op: EditOp::$variant { $name: $value }, inverse: EditOp::$variant { $name: old } })
    }};
}

pub(crate) fn apply(p: &mut Project, op: EditOp, t: &mut Touched) -> Result<Applied, StudioError> {
    match op {
        EditOp::SetName { name } => {
            if name.chars().count() > 200 {
                return Err(StudioError::op("name: must be at most 200 characters"));
            }
            set!(p.name, name, SetName, name, t.name)
        }
        EditOp::AddMessage { index, mut message } => {
            if message.id.is_empty() {
                message.id = fresh_id("m", |id| p.messages.iter().any(|m| m.id == id));
            } else if p.messages.iter().any(|m| m.id == message.id) {
                return Err(StudioError::op(format!("a message with id {:?} already exists", message.id)));
            }
            let index = check_index("message", index.unwrap_or(p.messages.len()), p.messages.len())?;
            let id = message.id.clone();
            p.messages.insert(index, message.clone());
            t.message(&id);
            t.order = true;
            Ok(Applied {
                op: EditOp::AddMessage { index: Some(index), message },
                inverse: EditOp::DeleteMessage { id },
            })
        }
        EditOp::UpdateMessage { message } => {
            let i = find_message(p, &message.id)?;
            let old = std::mem::replace(&mut p.messages[i], message.clone());
            t.message(&message.id);
            Ok(Applied { op: EditOp::UpdateMessage { message }, inverse: EditOp::UpdateMessage { message: old } })
        }
        EditOp::SetMessageText { id, text } => {
            let i = find_message(p, &id)?;
            let old = std::mem::replace(&mut p.messages[i].text, text.clone());
            t.message(&id);
            Ok(Applied {
                op: EditOp::SetMessageText { id: id.clone(), text },
                inverse: EditOp::SetMessageText { id, text: old },
            })
        }
        EditOp::DeleteMessage { id } => {
            let i = find_message(p, &id)?;
            let message = p.messages.remove(i);
            t.message(&id);
            t.order = true;
            Ok(Applied { op: EditOp::DeleteMessage { id }, inverse: EditOp::AddMessage { index: Some(i), message } })
        }
        EditOp::MoveMessage { id, to } => {
            let from = find_message(p, &id)?;
            if to >= p.messages.len() {
                return Err(StudioError::op(format!("message index {to} is out of range (0..{})", p.messages.len())));
            }
            let m = p.messages.remove(from);
            p.messages.insert(to, m);
            t.message(&id);
            t.order = true;
            Ok(Applied {
                op: EditOp::MoveMessage { id: id.clone(), to },
                inverse: EditOp::MoveMessage { id, to: from },
            })
        }
        EditOp::SetSender { id, sender } => {
            let i = find_message(p, &id)?;
            let old = std::mem::replace(&mut p.messages[i].sender, sender.clone());
            t.message(&id);
            Ok(Applied {
                op: EditOp::SetSender { id: id.clone(), sender },
                inverse: EditOp::SetSender { id, sender: old },
            })
        }
        EditOp::SetMessageTiming { id, timing } => {
            let i = find_message(p, &id)?;
            let old = std::mem::replace(&mut p.messages[i].timing, timing);
            t.message(&id);
            Ok(Applied {
                op: EditOp::SetMessageTiming { id: id.clone(), timing },
                inverse: EditOp::SetMessageTiming { id, timing: old },
            })
        }
        EditOp::AddReaction { id, index, reaction } => {
            let i = find_message(p, &id)?;
            let list = &mut p.messages[i].reactions;
            let index = check_index("reaction", index.unwrap_or(list.len()), list.len())?;
            list.insert(index, reaction.clone());
            t.message(&id);
            Ok(Applied {
                op: EditOp::AddReaction { id: id.clone(), index: Some(index), reaction },
                inverse: EditOp::RemoveReaction { id, index },
            })
        }
        EditOp::RemoveReaction { id, index } => {
            let i = find_message(p, &id)?;
            let list = &mut p.messages[i].reactions;
            if index >= list.len() {
                return Err(StudioError::op(format!("message {id:?} has no reaction at index {index}")));
            }
            let reaction = list.remove(index);
            t.message(&id);
            Ok(Applied {
                op: EditOp::RemoveReaction { id: id.clone(), index },
                inverse: EditOp::AddReaction { id, index: Some(index), reaction },
            })
        }
        EditOp::AddParticipant { index, mut participant } => {
            if participant.id.is_empty() {
                participant.id = fresh_id("p", |id| p.participants.iter().any(|x| x.id == id));
            } else if p.participants.iter().any(|x| x.id == participant.id) {
                return Err(StudioError::op(format!("a participant with id {:?} already exists", participant.id)));
            }
            let index = check_index("participant", index.unwrap_or(p.participants.len()), p.participants.len())?;
            let id = participant.id.clone();
            p.participants.insert(index, participant.clone());
            t.participants = true;
            Ok(Applied {
                op: EditOp::AddParticipant { index: Some(index), participant },
                inverse: EditOp::RemoveParticipant { id },
            })
        }
        EditOp::UpdateParticipant { participant } => {
            let i = find_participant(p, &participant.id)?;
            let old = std::mem::replace(&mut p.participants[i], participant.clone());
            t.participants = true;
            Ok(Applied {
                op: EditOp::UpdateParticipant { participant },
                inverse: EditOp::UpdateParticipant { participant: old },
            })
        }
        EditOp::RemoveParticipant { id } => {
            let i = find_participant(p, &id)?;
            let uses = p
                .messages
                .iter()
                .filter(|m| {
                    m.sender.as_deref() == Some(id.as_str())
                        || m.reactions.iter().any(|r| r.from.as_deref() == Some(id.as_str()))
                })
                .count();
            if uses > 0 {
                return Err(StudioError::op(format!(
                    "participant {id:?} is used by {uses} message(s); delete or reassign them in the same batch"
                )));
            }
            let participant = p.participants.remove(i);
            t.participants = true;
            Ok(Applied {
                op: EditOp::RemoveParticipant { id },
                inverse: EditOp::AddParticipant { index: Some(i), participant },
            })
        }
        EditOp::MoveParticipant { id, to } => {
            let from = find_participant(p, &id)?;
            if to >= p.participants.len() {
                return Err(StudioError::op(format!("participant index {to} is out of range")));
            }
            let x = p.participants.remove(from);
            p.participants.insert(to, x);
            t.participants = true;
            Ok(Applied {
                op: EditOp::MoveParticipant { id: id.clone(), to },
                inverse: EditOp::MoveParticipant { id, to: from },
            })
        }
        EditOp::SetTheme { theme } => set!(p.theme, theme, SetTheme, theme, t.theme),
        EditOp::SetPlatform { platform } => set!(p.theme.platform, platform, SetPlatform, platform, t.theme),
        EditOp::SetAppearance { appearance } => {
            set!(p.theme.appearance, appearance, SetAppearance, appearance, t.theme)
        }
        EditOp::SetHeader { header } => set!(p.theme.header, header, SetHeader, header, t.theme),
        EditOp::SetStatusBar { status_bar } => set!(p.theme.status_bar, status_bar, SetStatusBar, status_bar, t.theme),
        EditOp::SetCanvas { canvas } => set!(p.canvas, canvas, SetCanvas, canvas, t.canvas),
        EditOp::SetTiming { timing } => set!(p.timing, timing, SetTiming, timing, t.timing),
        EditOp::SetAudio { audio } => set!(p.audio, audio, SetAudio, audio, t.audio),
        EditOp::Batch { ops } => {
            let mut done: Vec<Applied> = Vec::with_capacity(ops.len());
            for (i, op) in ops.into_iter().enumerate() {
                match apply(p, op, t) {
                    Ok(a) => done.push(a),
                    Err(e) => {
                        for a in done.iter().rev() {
                            revert(p, a);
                        }
                        return Err(match e {
                            StudioError::InvalidOp { message } => StudioError::op(format!("ops[{i}]: {message}")),
                            other => other,
                        });
                    }
                }
            }
            let inverse = EditOp::Batch { ops: done.iter().rev().map(|a| a.inverse.clone()).collect() };
            Ok(Applied { op: EditOp::Batch { ops: done.into_iter().map(|a| a.op).collect() }, inverse })
        }
    }
}
