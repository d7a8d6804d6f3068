//! SQLite implementation of voices, characters, jobs and webhook deliveries.

use rusqlite::{OptionalExtension, Row, params};

use super::sqlite::{index_object, json_col, post_entry, refund_in};
use super::*;

const VOICE_COLS: &str = "id, account_id, name, language, engine_voice, pitch, rate, analysis, created_at";

fn voice_row(r: &Row<'_>) -> rusqlite::Result<(Voice, String)> {
    Ok((
        Voice {
            id: r.get(0)?,
            account_id: r.get(1)?,
            name: r.get(2)?,
            language: r.get(3)?,
            engine_voice: r.get(4)?,
            pitch: r.get(5)?,
            rate: r.get(6)?,
            analysis: Value::Null,
            created_at: r.get(8)?,
        },
        r.get(7)?,
    ))
}

fn with_analysis((mut v, a): (Voice, String)) -> Result<Voice> {
    v.analysis = json_col(a)?;
    Ok(v)
}

const CHAR_COLS: &str = "id, account_id, name, voice_id, language, personality, created_at";

fn character_row(r: &Row<'_>) -> rusqlite::Result<Character> {
    Ok(Character {
        id: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        voice_id: r.get(3)?,
        language: r.get(4)?,
        personality: r.get(5)?,
        created_at: r.get(6)?,
    })
}

impl VoiceStore for SqliteStore {
    fn voices(&self, account_id: &str) -> Result<Vec<Voice>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {VOICE_COLS} FROM voices WHERE account_id IS NULL OR account_id = ?1
                 ORDER BY account_id IS NOT NULL, created_at, id"
            ))?;
            let rows = st.query_map([account_id], voice_row)?;
            rows.map(|r| with_analysis(r?)).collect()
        })
    }

    fn voice(&self, account_id: &str, id: &str) -> Result<Voice> {
        self.read(|c| {
            let row = c
                .prepare_cached(&format!(
                    "SELECT {VOICE_COLS} FROM voices WHERE id = ?1 AND (account_id IS NULL OR account_id = ?2)"
                ))?
                .query_row(params![id, account_id], voice_row)
                .optional()?
                .ok_or(StorageError::NotFound("voice"))?;
            with_analysis(row)
        })
    }

    fn create_cloned_voice(&self, v: &Voice, credits: i64) -> Result<(Voice, LedgerEntry)> {
        let account_id = v.account_id.as_deref().ok_or(StorageError::NotFound("account"))?;
        let entry = self.write(|tx| {
            let entry = post_entry(tx, account_id, -credits, EntryKind::Charge, "voice clone", Some(&v.id), None)?;
            tx.execute(
                &format!("INSERT INTO voices ({VOICE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    v.id,
                    account_id,
                    v.name,
                    v.language,
                    v.engine_voice,
                    v.pitch,
                    v.rate,
                    v.analysis.to_string(),
                    v.created_at
                ],
            )?;
            Ok(entry)
        })?;
        Ok((v.clone(), entry))
    }

    fn delete_voice(&self, account_id: &str, id: &str) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM voices WHERE id = ?1 AND account_id = ?2", params![id, account_id])?;
            if n == 0 { Err(StorageError::NotFound("voice")) } else { Ok(()) }
        })
    }

    fn create_character(&self, ch: &Character) -> Result<Character> {
        self.write(|tx| {
            tx.execute(
                &format!("INSERT INTO characters ({CHAR_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![ch.id, ch.account_id, ch.name, ch.voice_id, ch.language, ch.personality, ch.created_at],
            )?;
            Ok(())
        })?;
        Ok(ch.clone())
    }

    fn character(&self, account_id: &str, id: &str) -> Result<Character> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {CHAR_COLS} FROM characters WHERE id = ?1 AND account_id = ?2"))?
                .query_row(params![id, account_id], character_row)
                .optional()?
                .ok_or(StorageError::NotFound("character"))
        })
    }

    fn characters(&self, account_id: &str, page: Page) -> Result<(Vec<Character>, i64)> {
        self.read(|c| {
            let total: i64 =
                c.query_row("SELECT COUNT(*) FROM characters WHERE account_id = ?1", [account_id], |r| r.get(0))?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {CHAR_COLS} FROM characters WHERE account_id = ?1 ORDER BY created_at, id LIMIT ?2 OFFSET ?3"
            ))?;
            let rows = st.query_map(params![account_id, page.limit, page.offset], character_row)?;
            Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
        })
    }

    fn delete_character(&self, account_id: &str, id: &str) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM characters WHERE id = ?1 AND account_id = ?2", params![id, account_id])?;
            if n == 0 { Err(StorageError::NotFound("character")) } else { Ok(()) }
        })
    }
}

const JOB_COLS: &str = "id, account_id, kind, status, progress, conversation_id, params, project, credits, charge_id,
    duration_secs, output_path, output_bytes, error, client_request_id, callback_url, created_at, updated_at, completed_at";

type JobRow = (Job, String, String, String, String);

fn job_row(r: &Row<'_>) -> rusqlite::Result<JobRow> {
    Ok((
        Job {
            id: r.get(0)?,
            account_id: r.get(1)?,
            kind: JobKind::Export,
            status: JobStatus::Queued,
            progress: r.get(4)?,
            conversation_id: r.get(5)?,
            params: Value::Null,
            project: Value::Null,
            credits: r.get(8)?,
            charge_id: r.get(9)?,
            duration_secs: r.get(10)?,
            output_path: r.get(11)?,
            output_bytes: r.get(12)?,
            error: r.get(13)?,
            client_request_id: r.get(14)?,
            callback_url: r.get(15)?,
            created_at: r.get(16)?,
            updated_at: r.get(17)?,
            completed_at: r.get(18)?,
        },
        r.get(2)?,
        r.get(3)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn to_job((mut job, kind, status, params, project): JobRow) -> Result<Job> {
    job.kind = if kind == "render" { JobKind::Render } else { JobKind::Export };
    job.status = JobStatus::parse(&status)?;
    job.params = json_col(params)?;
    job.project = json_col(project)?;
    Ok(job)
}

fn job_in(c: &rusqlite::Connection, id: &str) -> Result<Job> {
    let row = c
        .prepare_cached(&format!("SELECT {JOB_COLS} FROM jobs WHERE id = ?1"))?
        .query_row([id], job_row)
        .optional()?
        .ok_or(StorageError::NotFound("job"))?;
    to_job(row)
}

impl JobStore for SqliteStore {
    fn create_job(&self, j: &NewJob) -> Result<Job> {
        let now = now_ms();
        self.write(|tx| {
            let charge = if j.credits > 0 {
                let what = format!("{} {}", j.kind.as_str(), j.id);
                Some(post_entry(tx, &j.account_id, -j.credits, EntryKind::Charge, &what, Some(&j.id), None)?.id)
            } else {
                None
            };
            tx.execute(
                &format!(
                    "INSERT INTO jobs ({JOB_COLS}) VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL, NULL, ?10, ?11, ?12, ?12, NULL)"
                ),
                params![
                    j.id,
                    j.account_id,
                    j.kind.as_str(),
                    j.conversation_id,
                    j.params.to_string(),
                    j.project.to_string(),
                    j.credits,
                    charge,
                    j.duration_secs,
                    j.client_request_id,
                    j.callback_url,
                    now
                ],
            )?;
            let body = format!("{} {} {}", j.params, j.conversation_id, j.client_request_id.as_deref().unwrap_or(""));
            index_object(tx, &j.account_id, j.kind.as_str(), &j.id, &j.title, &body, now)?;
            job_in(tx, &j.id)
        })
    }

    fn job(&self, account_id: &str, kind: JobKind, id: &str) -> Result<Job> {
        let job = self.read(|c| job_in(c, id))?;
        if job.account_id != account_id || job.kind != kind {
            return Err(StorageError::NotFound(if kind == JobKind::Export { "export" } else { "render" }));
        }
        Ok(job)
    }

    fn job_any(&self, id: &str) -> Result<Job> {
        self.read(|c| job_in(c, id))
    }

    fn job_by_client_request_id(&self, account_id: &str, client_request_id: &str) -> Result<Option<Job>> {
        let id: Option<String> = self.read(|c| {
            Ok(c.query_row(
                "SELECT id FROM jobs WHERE account_id = ?1 AND client_request_id = ?2",
                params![account_id, client_request_id],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        id.map(|id| self.read(|c| job_in(c, &id))).transpose()
    }

    fn list_jobs(&self, account_id: &str, kind: JobKind, page: Page) -> Result<(Vec<Job>, i64)> {
        self.read(|c| {
            let total: i64 = c.query_row(
                "SELECT COUNT(*) FROM jobs WHERE account_id = ?1 AND kind = ?2",
                params![account_id, kind.as_str()],
                |r| r.get(0),
            )?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {JOB_COLS} FROM jobs WHERE account_id = ?1 AND kind = ?2 ORDER BY created_at DESC, id LIMIT ?3 OFFSET ?4"
            ))?;
            let rows = st.query_map(params![account_id, kind.as_str(), page.limit, page.offset], job_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(to_job(row?)?);
            }
            Ok((out, total))
        })
    }

    fn claim_job(&self) -> Result<Option<Job>> {
        self.write(|tx| {
            let id: Option<String> = tx
                .query_row("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1", [], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(id) = id else { return Ok(None) };
            tx.execute("UPDATE jobs SET status = 'processing', updated_at = ?2 WHERE id = ?1", params![id, now_ms()])?;
            job_in(tx, &id).map(Some)
        })
    }

    fn set_progress(&self, id: &str, progress: f64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE jobs SET progress = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'processing'",
                params![id, progress.clamp(0.0, 1.0), now_ms()],
            )?;
            Ok(())
        })
    }

    fn complete_job(&self, id: &str, output_path: &str, output_bytes: i64) -> Result<Job> {
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "UPDATE jobs SET status = 'done', progress = 1, output_path = ?2, output_bytes = ?3, updated_at = ?4,
                 completed_at = ?4 WHERE id = ?1",
                params![id, output_path, output_bytes, now],
            )?;
            job_in(tx, id)
        })
    }

    fn fail_job(&self, id: &str, error: &str) -> Result<Job> {
        self.write(|tx| {
            let now = now_ms();
            let job = job_in(tx, id)?;
            // A finished job stays as it ended: a late failure (or cancel) must not undo a
            // delivered video or refund twice.
            if matches!(job.status, JobStatus::Done | JobStatus::Failed) {
                return Ok(job);
            }
            tx.execute(
                "UPDATE jobs SET status = 'failed', error = ?2, updated_at = ?3, completed_at = ?3 WHERE id = ?1",
                params![id, error, now],
            )?;
            if let Some(charge) = &job.charge_id {
                refund_in(tx, charge, &format!("refund: {} {} failed", job.kind.as_str(), job.id))?;
            }
            job_in(tx, id)
        })
    }

    fn cancel_queued(&self, account_id: &str, kind: JobKind, id: &str) -> Result<Job> {
        let job = self.job(account_id, kind, id)?;
        if job.status == JobStatus::Queued {
            // fail_job re-reads under the write lock, so a worker claiming it meanwhile wins.
            let claimed = self.write(|tx| {
                Ok(tx.execute("UPDATE jobs SET status = 'processing' WHERE id = ?1 AND status = 'queued'", [id])? == 1)
            })?;
            if claimed {
                return self.fail_job(id, "cancelled by the client");
            }
        }
        self.job(account_id, kind, id)
    }

    fn requeue_interrupted(&self) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute("UPDATE jobs SET status = 'queued', progress = 0 WHERE status = 'processing'", [])?)
        })
    }
}

const EP_COLS: &str = "id, account_id, url, events, secret, description, created_at";

fn endpoint_row(r: &Row<'_>) -> rusqlite::Result<(WebhookEndpoint, String)> {
    Ok((
        WebhookEndpoint {
            id: r.get(0)?,
            account_id: r.get(1)?,
            url: r.get(2)?,
            events: Vec::new(),
            secret: r.get(4)?,
            description: r.get(5)?,
            created_at: r.get(6)?,
        },
        r.get(3)?,
    ))
}

fn to_endpoint((mut ep, events): (WebhookEndpoint, String)) -> Result<WebhookEndpoint> {
    ep.events = serde_json::from_str(&events).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    Ok(ep)
}

const DEL_COLS: &str = "id, account_id, endpoint_id, url, event, payload, secret, status, attempts, next_attempt_at,
    last_status_code, last_error, created_at";

fn delivery_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: r.get(0)?,
        account_id: r.get(1)?,
        endpoint_id: r.get(2)?,
        url: r.get(3)?,
        event: r.get(4)?,
        payload: r.get(5)?,
        secret: r.get(6)?,
        status: r.get(7)?,
        attempts: r.get(8)?,
        next_attempt_at: r.get(9)?,
        last_status_code: r.get(10)?,
        last_error: r.get(11)?,
        created_at: r.get(12)?,
    })
}

impl WebhookStore for SqliteStore {
    fn create_endpoint(&self, ep: &WebhookEndpoint) -> Result<WebhookEndpoint> {
        let events = serde_json::to_string(&ep.events).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                &format!("INSERT INTO webhook_endpoints ({EP_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![ep.id, ep.account_id, ep.url, events, ep.secret, ep.description, ep.created_at],
            )?;
            Ok(())
        })?;
        Ok(ep.clone())
    }

    fn endpoints(&self, account_id: &str) -> Result<Vec<WebhookEndpoint>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {EP_COLS} FROM webhook_endpoints WHERE account_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = st.query_map([account_id], endpoint_row)?;
            rows.map(|r| to_endpoint(r?)).collect()
        })
    }

    fn endpoint(&self, account_id: &str, id: &str) -> Result<WebhookEndpoint> {
        self.read(|c| {
            let row = c
                .prepare_cached(&format!("SELECT {EP_COLS} FROM webhook_endpoints WHERE id = ?1 AND account_id = ?2"))?
                .query_row(params![id, account_id], endpoint_row)
                .optional()?
                .ok_or(StorageError::NotFound("webhook endpoint"))?;
            to_endpoint(row)
        })
    }

    fn delete_endpoint(&self, account_id: &str, id: &str) -> Result<()> {
        self.write(|tx| {
            let n =
                tx.execute("DELETE FROM webhook_endpoints WHERE id = ?1 AND account_id = ?2", params![id, account_id])?;
            if n == 0 {
                return Err(StorageError::NotFound("webhook endpoint"));
            }
            // Pending retries to a removed endpoint stop; the log of past attempts stays.
            tx.execute("UPDATE deliveries SET status = 'failed', last_error = 'endpoint deleted' WHERE endpoint_id = ?1 AND status = 'pending'", [id])?;
            Ok(())
        })
    }

    fn enqueue_event(
        &self,
        account_id: &str,
        event: &str,
        payload: &str,
        extra: Option<(Option<&str>, &str, &str)>,
    ) -> Result<Vec<Delivery>> {
        // Test events go only to the endpoint they were sent for.
        let endpoints = if event == "webhook.test" { Vec::new() } else { self.endpoints(account_id)? };
        let now = now_ms();
        let mut targets: Vec<(Option<String>, String, String)> = endpoints
            .into_iter()
            .filter(|e| e.events.iter().any(|x| x == event || x == "*"))
            .map(|e| (Some(e.id), e.url, e.secret))
            .collect();
        if let Some((endpoint_id, url, secret)) = extra {
            targets.push((endpoint_id.map(str::to_string), url.to_string(), secret.to_string()));
        }
        self.write(|tx| {
            let mut out = Vec::new();
            for (endpoint_id, url, secret) in targets {
                let d = Delivery {
                    id: new_id("msg"),
                    account_id: account_id.to_string(),
                    endpoint_id,
                    url,
                    event: event.to_string(),
                    payload: payload.to_string(),
                    secret,
                    status: "pending".into(),
                    attempts: 0,
                    next_attempt_at: now,
                    last_status_code: None,
                    last_error: None,
                    created_at: now,
                };
                tx.execute(
                    &format!("INSERT INTO deliveries ({DEL_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, NULL, NULL, ?8)"),
                    params![d.id, d.account_id, d.endpoint_id, d.url, d.event, d.payload, d.secret, now],
                )?;
                out.push(d);
            }
            Ok(out)
        })
    }

    fn due_deliveries(&self, now: Millis, limit: i64) -> Result<Vec<Delivery>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {DEL_COLS} FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?1
                 ORDER BY next_attempt_at LIMIT ?2"
            ))?;
            let rows = st.query_map(params![now, limit], delivery_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn record_attempt(
        &self,
        id: &str,
        status_code: Option<i64>,
        error: Option<&str>,
        next_attempt_at: Option<Millis>,
    ) -> Result<()> {
        let ok = error.is_none();
        let status = if ok {
            "succeeded"
        } else if next_attempt_at.is_some() {
            "pending"
        } else {
            "failed"
        };
        self.write(|tx| {
            tx.execute(
                "UPDATE deliveries SET status = ?2, attempts = attempts + 1, last_status_code = ?3, last_error = ?4,
                 next_attempt_at = COALESCE(?5, next_attempt_at) WHERE id = ?1",
                params![id, status, status_code, error, next_attempt_at],
            )?;
            Ok(())
        })
    }

    fn deliveries(&self, account_id: &str, endpoint_id: &str, page: Page) -> Result<(Vec<Delivery>, i64)> {
        self.read(|c| {
            let total: i64 = c.query_row(
                "SELECT COUNT(*) FROM deliveries WHERE account_id = ?1 AND endpoint_id = ?2",
                params![account_id, endpoint_id],
                |r| r.get(0),
            )?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {DEL_COLS} FROM deliveries WHERE account_id = ?1 AND endpoint_id = ?2
                 ORDER BY created_at DESC, id LIMIT ?3 OFFSET ?4"
            ))?;
            let rows = st.query_map(params![account_id, endpoint_id, page.limit, page.offset], delivery_row)?;
            Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
        })
    }
}
