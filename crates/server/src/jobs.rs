//! Export and template-render jobs: a pool of workers takes queued jobs from storage, renders them
//! through a [`RenderEngine`], stores the file and fires webhooks. A failed job is refunded in
//! the same transaction that marks it failed (see `JobStore::fail_job`), so exactly once.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chatframe_model::Project;
use serde_json::json;

use crate::state::Shared;
use crate::storage::{Job, JobKind};

/// What to render.
pub struct RenderJob<'a> {
    pub project: &'a Project,
    /// `mp4`, `webm`, `gif` or `mov`.
    pub format: &'a str,
    /// `720p`, `1080p` or `4k` (the short side of the output).
    pub resolution: &'a str,
    pub watermark: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{0}")]
    Unavailable(String),
    #[error("render failed: {0}")]
    Failed(String),
}

/// A video renderer. Blocking; runs on a worker thread.
pub trait RenderEngine: Send + Sync {
    fn name(&self) -> &str;
    /// Writes the video to `out`; calls `progress` with 0.0..=1.0 as it goes.
    fn render(
        &self,
        job: &RenderJob<'_>,
        out: &Path,
        progress: &mut dyn FnMut(f64),
        cancel: &AtomicBool,
    ) -> Result<(), RenderError>;
}

pub fn extension(format: &str) -> &'static str {
    match format {
        "webm" => "webm",
        "gif" => "gif",
        "mov" => "mov",
        _ => "mp4",
    }
}

/// Output seconds of a project, rounded up: the unit exports and renders are priced in.
pub fn billable_seconds(project: &Project) -> (f64, i64) {
    let t = chatframe_model::Timeline::build(project);
    let secs = t.duration as f64 / 1e6;
    (secs, (secs.ceil() as i64).max(1))
}

/// Starts `n` workers.
pub fn spawn_workers(state: &Shared, n: usize) {
    for _ in 0..n.max(1) {
        let state = state.clone();
        tokio::spawn(async move { worker(state).await });
    }
}

async fn worker(state: Shared) {
    loop {
        match state.db(|s| s.claim_job()).await {
            Ok(Some(job)) => run_job(&state, job).await,
            Ok(None) => {
                tokio::select! {
                    _ = state.jobs_ready.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot claim a job");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn run_job(state: &Shared, job: Job) {
    let key =
        format!("{}s/{}.{}", job.kind.as_str(), job.id, extension(job.params["format"].as_str().unwrap_or("mp4")));
    let staged = match state.objects.staging_path(&key) {
        Ok(p) => p,
        Err(e) => return finish(state, &job, Err(format!("cannot stage the output: {e}"))).await,
    };
    let cancel = Arc::new(AtomicBool::new(false));
    state.running.lock().expect("running poisoned").insert(job.id.clone(), cancel.clone());
    let (st, job2, staged2) = (state.clone(), job.clone(), staged.clone());
    let rt = tokio::runtime::Handle::current();
    let result = tokio::task::spawn_blocking(move || {
        let project: Project = serde_json::from_value(job2.project.clone()).map_err(|e| e.to_string())?;
        let rj = RenderJob {
            project: &project,
            format: job2.params["format"].as_str().unwrap_or("mp4"),
            resolution: job2.params["resolution"].as_str().unwrap_or("1080p"),
            watermark: job2.params["watermark"].as_bool().unwrap_or(false),
        };
        let mut last = Instant::now();
        let mut progress = |p: f64| {
            // Throttled: progress is for polling clients, not worth a write per frame.
            if last.elapsed() >= Duration::from_millis(250) {
                last = Instant::now();
                let (s, id) = (st.clone(), job2.id.clone());
                let _ = rt.block_on(s.db(move |db| db.set_progress(&id, p)));
            }
        };
        st.render.render(&rj, &staged2, &mut progress, &cancel).map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(format!("render worker crashed: {e}")));
    let cancelled =
        state.running.lock().expect("running poisoned").remove(&job.id).is_some_and(|c| c.load(Ordering::Relaxed));
    let result = if cancelled { Err("cancelled by the client".to_string()) } else { result };
    let result = match result {
        Ok(()) => state.objects.commit_file(&key, &staged).map(|size| (key, size)).map_err(|e| e.to_string()),
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            Err(e)
        }
    };
    finish(state, &job, result).await;
}

async fn finish(state: &Shared, job: &Job, result: Result<(String, u64), String>) {
    let id = job.id.clone();
    let done = match result {
        Ok((key, size)) => state.db(move |s| s.complete_job(&id, &key, size as i64)).await,
        Err(msg) => {
            tracing::warn!(job = %job.id, error = %msg, "job failed");
            state.db(move |s| s.fail_job(&id, &msg)).await
        }
    };
    let job = match done {
        Ok(j) => j,
        Err(e) => return tracing::error!(job = %job.id, error = %e, "cannot record the job's end"),
    };
    let ok = job.status == crate::storage::JobStatus::Done;
    let event = match (job.kind, ok) {
        (JobKind::Export, true) => "export.completed",
        (JobKind::Export, false) => "export.failed",
        (JobKind::Render, true) => "render.completed",
        (JobKind::Render, false) => "render.failed",
    };
    let data = crate::routes::exports::job_json(state, &job);
    let callback = if job.kind == JobKind::Render { job.callback_url.clone() } else { None };
    crate::webhooks::emit(state, &job.account_id, event, json!(data), callback).await;
}
