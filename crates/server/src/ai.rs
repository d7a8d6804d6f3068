//! The AI writer: asks any OpenAI-compatible chat-completions endpoint (OpenAI, a local Ollama or
//! llama.cpp server, vLLM...) for a conversation, one JSON message per line, so messages can be
//! streamed to the client as each line completes. The endpoint is operator configuration, not
//! client input, so it is not subject to the SSRF guard (a local model server is a normal setup).

use std::time::Duration;

use chatframe_model::{MessageKind, Participant, Project, SCHEMA_VERSION, Side};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::AiConfig;

#[derive(Debug, thiserror::Error)]
pub enum AiError {
    #[error("the AI endpoint failed: {0}")]
    Upstream(String),
    #[error("the AI endpoint answered with no usable messages")]
    Empty,
}

/// One message as the model writes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct DraftMessage {
    pub sender: String,
    pub text: String,
}

/// What the client asked for, already validated.
#[derive(Debug, Clone)]
pub struct Brief {
    pub prompt: String,
    pub participants: Vec<String>,
    pub style: String,
    pub language: String,
    pub messages: u32,
}

#[derive(Clone)]
pub struct AiWriter {
    client: reqwest::Client,
    url: String,
    api_key: Option<String>,
    model: String,
}

impl AiWriter {
    /// `None` when no endpoint is configured: the API then answers `AI_UNAVAILABLE`.
    pub fn from_config(cfg: &AiConfig) -> Option<AiWriter> {
        let base = cfg.base_url.as_deref()?.trim_end_matches('/');
        let client =
            reqwest::Client::builder().timeout(Duration::from_secs(cfg.timeout_secs.unwrap_or(120))).build().ok()?;
        Some(AiWriter {
            client,
            url: format!("{base}/chat/completions"),
            api_key: cfg.api_key.clone(),
            model: cfg.model.clone().unwrap_or_else(|| "gpt-4o-mini".into()),
        })
    }

    fn request(&self, brief: &Brief, stream: bool) -> reqwest::RequestBuilder {
        // Names go in as a JSON array on a line of their own: unambiguous for the model even when
        // a name contains a comma.
        let system = format!(
            "You write text-message conversations for short animated chat videos.\nParticipants: {}\n\
             Write exactly {} messages in language '{}' with a {} tone. Output ONLY JSON Lines: one object \
             per line, {{\"sender\": \"<participant name>\", \"text\": \"<message>\"}}, no other text, no code fences.",
            serde_json::to_string(&brief.participants).unwrap_or_default(),
            brief.messages,
            brief.language,
            brief.style
        );
        let body = json!({
            "model": self.model,
            "stream": stream,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": brief.prompt }
            ]
        });
        let mut req = self.client.post(&self.url).json(&body);
        if let Some(key) = &self.api_key {
            req = req.bearer_auth(key);
        }
        req
    }

    /// The whole conversation at once.
    pub async fn generate(&self, brief: &Brief) -> Result<Vec<DraftMessage>, AiError> {
        let resp =
            self.request(brief, false).send().await.map_err(|e| AiError::Upstream(e.without_url().to_string()))?;
        if !resp.status().is_success() {
            return Err(AiError::Upstream(format!("status {}", resp.status())));
        }
        let v: Value = resp.json().await.map_err(|e| AiError::Upstream(e.without_url().to_string()))?;
        let content = v["choices"][0]["message"]["content"].as_str().ok_or(AiError::Empty)?;
        let msgs: Vec<DraftMessage> = content.lines().filter_map(|l| parse_line(l, brief)).collect();
        if msgs.is_empty() { Err(AiError::Empty) } else { Ok(msgs) }
    }

    /// Messages as the model finishes each line.
    pub async fn stream(
        &self,
        brief: Brief,
    ) -> Result<impl Stream<Item = Result<DraftMessage, AiError>> + Send + 'static, AiError> {
        let resp =
            self.request(&brief, true).send().await.map_err(|e| AiError::Upstream(e.without_url().to_string()))?;
        if !resp.status().is_success() {
            return Err(AiError::Upstream(format!("status {}", resp.status())));
        }
        let bytes = resp.bytes_stream();
        let state = (bytes, String::new(), String::new(), false, brief);
        Ok(futures_util::stream::unfold(state, |(mut bytes, mut sse, mut text, mut done, brief)| async move {
            loop {
                // A complete line of model text is a message.
                if let Some(i) = text.find('\n') {
                    let line: String = text.drain(..=i).collect();
                    if let Some(m) = parse_line(&line, &brief) {
                        return Some((Ok(m), (bytes, sse, text, done, brief)));
                    }
                    continue;
                }
                if done {
                    let rest = std::mem::take(&mut text);
                    return parse_line(&rest, &brief).map(|m| (Ok(m), (bytes, sse, text, done, brief)));
                }
                // A complete SSE event of the upstream adds model text.
                if let Some(i) = sse.find('\n') {
                    let line: String = sse.drain(..=i).collect();
                    let Some(data) = line.trim().strip_prefix("data:") else { continue };
                    let data = data.trim();
                    if data == "[DONE]" {
                        done = true;
                        continue;
                    }
                    if let Ok(v) = serde_json::from_str::<Value>(data)
                        && let Some(piece) = v["choices"][0]["delta"]["content"].as_str()
                    {
                        text.push_str(piece);
                    }
                    continue;
                }
                match bytes.next().await {
                    Some(Ok(chunk)) => sse.push_str(&String::from_utf8_lossy(&chunk)),
                    Some(Err(e)) => {
                        done = true;
                        return Some((
                            Err(AiError::Upstream(e.without_url().to_string())),
                            (bytes, sse, text, done, brief),
                        ));
                    }
                    None => done = true,
                }
            }
        }))
    }
}

/// One JSON line from the model; lines that are not a message of a known participant are
/// skipped (models add stray prose or code fences now and then).
fn parse_line(line: &str, brief: &Brief) -> Option<DraftMessage> {
    let line = line.trim().trim_end_matches(',');
    if !line.starts_with('{') {
        return None;
    }
    let m: DraftMessage = serde_json::from_str(line).ok()?;
    let text = m.text.trim();
    if text.is_empty() {
        return None;
    }
    let sender = brief.participants.iter().find(|p| p.eq_ignore_ascii_case(m.sender.trim()))?.clone();
    Some(DraftMessage { sender, text: text.chars().take(2000).collect() })
}

/// A project in our format from the drafted messages: the first participant is the phone's owner.
pub fn build_project(brief: &Brief, messages: &[DraftMessage]) -> Project {
    let ids: Vec<String> = (0..brief.participants.len()).map(|i| format!("p{}", i + 1)).collect();
    let participants = brief
        .participants
        .iter()
        .zip(&ids)
        .enumerate()
        .map(|(i, (name, id))| Participant {
            id: id.clone(),
            name: name.clone(),
            side: if i == 0 { Side::Me } else { Side::Them },
            avatar: None,
            color: None,
            voice: None,
        })
        .collect();
    let messages = messages
        .iter()
        .map(|m| {
            let idx = brief.participants.iter().position(|p| *p == m.sender).unwrap_or(0);
            chatframe_model::Message {
                kind: MessageKind::Text,
                sender: Some(ids[idx].clone()),
                text: m.text.clone(),
                ..Default::default()
            }
        })
        .collect();
    let mut p = Project {
        schema_version: SCHEMA_VERSION,
        id: String::new(),
        name: brief.prompt.chars().take(80).collect(),
        canvas: Default::default(),
        theme: Default::default(),
        participants,
        messages,
        audio: Default::default(),
        timing: Default::default(),
    };
    p.assign_missing_ids();
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_known_senders_and_builds_a_valid_project() {
        let brief = Brief {
            prompt: "p".into(),
            participants: vec!["Alex".into(), "Sam".into()],
            style: "casual".into(),
            language: "en".into(),
            messages: 2,
        };
        assert!(parse_line("```json", &brief).is_none());
        assert!(parse_line(r#"{"sender":"Zed","text":"x"}"#, &brief).is_none());
        let m = parse_line(r#"{"sender":"sam","text":" hi "}"#, &brief).unwrap();
        assert_eq!(m, DraftMessage { sender: "Sam".into(), text: "hi".into() });
        let p = build_project(&brief, &[m]);
        let bytes = serde_json::to_vec(&p).unwrap();
        chatframe_model::parse_project(&bytes).unwrap();
    }
}
