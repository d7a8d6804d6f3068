//! Schema migrations. Each step takes the JSON of version N and returns version N+1, so files
//! written by any earlier release open in this one. Future versions are refused, never guessed at.

use serde_json::Value;

use crate::{ModelError, SCHEMA_VERSION};

/// Brings a project JSON value to [`SCHEMA_VERSION`].
pub fn migrate(mut value: Value) -> Result<Value, ModelError> {
    let obj = value.as_object_mut().ok_or_else(|| ModelError::field("$", "a project must be a JSON object"))?;
    let version = match obj.get("schemaVersion") {
        // Files from the 0.x prototypes carried no version; they are version 0.
        None => 0,
        Some(v) => v.as_u64().ok_or_else(|| ModelError::field("schemaVersion", "must be a positive integer"))?,
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(ModelError::FutureVersion { found: version, supported: SCHEMA_VERSION });
    }
    let mut v = version;
    while v < u64::from(SCHEMA_VERSION) {
        value = match v {
            0 => v0_to_v1(value),
            _ => unreachable!("every version below SCHEMA_VERSION has a step"),
        };
        v += 1;
    }
    Ok(value)
}

/// Version 0 (prototype) files named the look `style` at the top level (`"style": "whatsapp-dark"`)
/// and used `from` for the sender. Version 1 moved the look into `theme` and renamed `from`.
fn v0_to_v1(mut value: Value) -> Value {
    let obj = value.as_object_mut().expect("checked by migrate");
    if let Some(Value::String(style)) = obj.remove("style") {
        let (platform, appearance) = match style.split_once('-') {
            Some((p, a)) => (p.to_string(), a.to_string()),
            None => (style, "light".to_string()),
        };
        let theme = obj.entry("theme").or_insert_with(|| serde_json::json!({}));
        if let Some(t) = theme.as_object_mut() {
            t.entry("platform").or_insert(Value::String(platform));
            t.entry("appearance").or_insert(Value::String(appearance));
        }
    }
    if let Some(Value::Array(messages)) = obj.get_mut("messages") {
        for m in messages.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(from) = m.remove("from") {
                m.entry("sender").or_insert(from);
            }
        }
    }
    obj.insert("schemaVersion".into(), Value::from(1));
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v0_files_move_style_into_theme_and_from_into_sender() {
        let v0 = json!({"style": "whatsapp-dark", "participants": [],
                        "messages": [{"from": "a", "text": "hi"}]});
        let v1 = migrate(v0).unwrap();
        assert_eq!(v1["schemaVersion"], 1);
        assert_eq!(v1["theme"]["platform"], "whatsapp");
        assert_eq!(v1["theme"]["appearance"], "dark");
        assert_eq!(v1["messages"][0]["sender"], "a");
        assert!(v1["messages"][0].get("from").is_none());
    }

    #[test]
    fn current_version_is_untouched() {
        let v1 = json!({"schemaVersion": 1, "participants": [], "messages": []});
        assert_eq!(migrate(v1.clone()).unwrap(), v1);
    }

    #[test]
    fn future_versions_are_refused() {
        let err = migrate(json!({"schemaVersion": 99})).unwrap_err();
        assert_eq!(err.code(), "UNSUPPORTED_VERSION");
        assert!(err.to_string().contains("99"));
    }

    #[test]
    fn non_objects_and_bad_versions_are_named() {
        assert!(migrate(json!([1, 2])).unwrap_err().to_string().contains("JSON object"));
        let err = migrate(json!({"schemaVersion": "one"})).unwrap_err();
        assert!(err.to_string().starts_with("schemaVersion:"));
    }
}
