// The backend inside the desktop app: Tauri IPC for every command; preview frames and media
// uploads over the app's own loopback server (binary WebSocket: ~2.4x faster than IPC for RGBA
// in WebKitGTK, see RECIPES.md). Set `localStorage.previewTransport = 'ipc'` to compare.
import { invoke, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import type { Backend, Frame } from './types';
import { BackendError } from './types';
import { FrameSocket, decodeFrame } from '../frame';
import type {
  Catalog,
  CreateProject,
  EditOp,
  EditResult,
  ExportJob,
  ExportRequest,
  Marker,
  MediaInfo,
  PlaybackState,
  ProjectSummary,
  SessionState,
} from '../bindings/api';

interface Endpoint {
  url: string;
  token: string;
}

async function call<T>(cmd: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await invoke<T>(cmd, args, options);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new BackendError(err.code ?? 'INTERNAL', err.message ?? String(e));
  }
}

export class TauriBackend implements Backend {
  readonly kind = 'tauri' as const;
  private endpoint: Promise<Endpoint> = call<Endpoint>('endpoint');
  private frames = new FrameSocket(async () => {
    const ep = await this.endpoint;
    return `${ep.url.replace(/^http/, 'ws')}/api/ws?token=${encodeURIComponent(ep.token)}`;
  });
  private posters = new Map<string, string>();

  constructor() {
    // Connected before the first project opens, so its first frame does not wait for it.
    this.frames.warm();
  }

  catalog() {
    return call<Catalog>('catalog');
  }
  listProjects(query = '', trash = false) {
    return call<ProjectSummary[]>('list_projects', { query, trash });
  }
  createProject(request: CreateProject) {
    return call<ProjectSummary>('create_project', { request });
  }
  renameProject(id: string, name: string) {
    return call<ProjectSummary>('rename_project', { id, name });
  }
  duplicateProject(id: string) {
    return call<ProjectSummary>('duplicate_project', { id });
  }
  trashProject(id: string) {
    return call<void>('trash_project', { id });
  }
  restoreProject(id: string) {
    return call<void>('restore_project', { id });
  }
  purgeProject(id: string) {
    return call<void>('purge_project', { id });
  }
  async posterUrl(p: ProjectSummary) {
    // Blob URLs per revision: the poster bytes arrive over IPC, never as base64.
    const key = `${p.id}@${p.revision}`;
    const cached = this.posters.get(key);
    if (cached) return cached;
    const png = await call<ArrayBuffer>('poster', { id: p.id });
    const url = URL.createObjectURL(new Blob([png], { type: 'image/png' }));
    this.posters.set(key, url);
    return url;
  }
  openProject(id: string, markers = true) {
    return call<SessionState>('open_project', { id, markers });
  }
  closeProject(id: string) {
    return call<void>('close_project', { id });
  }
  undo(id: string) {
    return call<EditResult | null>('undo', { id });
  }
  redo(id: string) {
    return call<EditResult | null>('redo', { id });
  }
  seekToMessage(id: string, message: string) {
    return call<number>('seek_to_message', { id, message });
  }
  applyWithFrame(id: string, op: EditOp, follow: boolean, timeUs: number, maxWidth: number) {
    return this.frames.edit(id, op, follow, timeUs, maxWidth);
  }
  markers(id: string) {
    return call<Marker[]>('markers', { id });
  }
  async frame(id: string, timeUs: number, maxWidth: number): Promise<Frame | null> {
    if (localStorage.getItem('previewTransport') === 'ipc') {
      const buf = await call<ArrayBuffer>('preview_frame', { id, t: Math.round(timeUs), maxWidth });
      return decodeFrame(buf);
    }
    return this.frames.request(id, timeUs, maxWidth);
  }
  play(id: string, fromUs?: number) {
    return call<PlaybackState>('play', { id, fromUs: fromUs === undefined ? null : Math.round(fromUs) });
  }
  pause(id: string) {
    return call<PlaybackState>('pause', { id });
  }
  seekPlayback(id: string, timeUs: number) {
    return call<PlaybackState>('seek_playback', { id, timeUs: Math.round(timeUs) });
  }
  playbackState(id: string) {
    return call<PlaybackState>('playback_state', { id });
  }
  addMedia(name: string, bytes: ArrayBuffer) {
    return this.upload<MediaInfo>('add_media', name, bytes);
  }
  importProject(name: string, bytes: ArrayBuffer) {
    return this.upload<ProjectSummary>('import_project', name, bytes);
  }
  /** A file's bytes as the raw IPC body (not a JSON array of numbers), its name in a header. */
  private upload<T>(cmd: string, name: string, bytes: ArrayBuffer): Promise<T> {
    return call<T>(cmd, new Uint8Array(bytes), {
      headers: { 'x-file-name': encodeURIComponent(name) },
    });
  }
  saveProjectFile(project: ProjectSummary, bundle: boolean) {
    return call<string | null>('save_project_file', { id: project.id, bundle });
  }
  startExport(id: string, request: ExportRequest) {
    return call<ExportJob>('start_export', { id, request });
  }
  listExports() {
    return call<ExportJob[]>('list_exports');
  }
  cancelExport(job: string) {
    return call<ExportJob>('cancel_export', { job });
  }
  revealExport(job: string) {
    return call<void>('reveal_export', { job });
  }
  suggestExportName(id: string, format: string, folder: string) {
    return call<string>('suggest_export_name', { id, format, folder });
  }
  pickFolder(start: string) {
    return call<string | null>('pick_folder', { start });
  }
  voices() {
    return call<import('../bindings/api').VoiceCatalog>('voices');
  }
  playVoiceSample(voice: import('../bindings/api').VoiceSettings, text: string) {
    return call<PlaybackState>('play_voice_sample', { voice, text });
  }
  generateVoice(id: string) {
    return call<import('../bindings/api').VoiceJob>('generate_voice', { id });
  }
  voiceJob(id: string) {
    return call<import('../bindings/api').VoiceJob | null>('voice_job', { id });
  }
  cancelVoice(id: string) {
    return call<import('../bindings/api').VoiceJob | null>('cancel_voice', { id });
  }
  quit() {
    return call<void>('quit');
  }
}
