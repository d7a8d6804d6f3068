//! Studio settings as JSON values by key (window layout, last export folder, defaults).

use rusqlite::{OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

use crate::{Store, StoreError};

impl Store {
    /// The setting's value, or `None` when unset or no longer of type `T` (a setting from another
    /// version must never stop the studio from starting).
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let raw: Option<String> =
            self.conn.query_row("SELECT value FROM settings WHERE key = ?", [key], |r| r.get(0)).optional()?;
        Ok(raw.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn set_setting<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).expect("settings values serialize");
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, json],
            )?;
            Ok(())
        })
    }

    pub fn remove_setting(&mut self, key: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = ?", [key])?;
            Ok(())
        })
    }
}
