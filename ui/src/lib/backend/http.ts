// The backend over the local automation API (`chatframe api`): fetch for commands, the preview
// WebSocket for frames. The page gets the per-launch token from its URL (`?token=`).
import type { Backend, Frame } from './types';
import { BackendError } from './types';
import { FrameSocket } from '../frame';
import type { EditOp, ExportRequest, CreateProject, PlaybackState, ProjectSummary } from '../bindings/api';

/** The file name of a download: RFC 5987 `filename*` (exact, UTF-8) over plain `filename`. */
export function fileName(disposition: string | null): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? 'project.chatframe.json';
}

export class HttpBackend implements Backend {
  readonly kind = 'http' as const;
  private frames: FrameSocket;

  constructor(
    private base: string,
    private token: string,
  ) {
    const ws = base.replace(/^http/, 'ws');
    this.frames = new FrameSocket(async () => `${ws}/api/ws?token=${encodeURIComponent(this.token)}`);
    // Connected before the first project opens, so its first frame does not wait for it.
    this.frames.warm();
  }

  private async call<T>(method: string, path: string, body?: unknown, raw: boolean | 'file' = false): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    let payload: BodyInit | undefined;
    if (body instanceof ArrayBuffer) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}/api${path}`, { method, headers, body: payload });
    if (!res.ok) {
      let err = { code: `HTTP_${res.status}`, message: res.statusText };
      try {
        err = await res.json();
      } catch {
        /* not JSON: keep the status */
      }
      throw new BackendError(err.code, err.message);
    }
    if (raw === 'file') return { name: fileName(res.headers.get('Content-Disposition')), blob: await res.blob() } as T;
    if (raw) return (await res.arrayBuffer()) as T;
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  catalog() {
    return this.call<import('../bindings/api').Catalog>('GET', '/catalog');
  }
  listProjects(query = '', trash = false) {
    const q = new URLSearchParams({ q: query, trash: String(trash) });
    return this.call<ProjectSummary[]>('GET', `/projects?${q}`);
  }
  createProject(request: CreateProject) {
    return this.call<ProjectSummary>('POST', '/projects', request);
  }
  renameProject(id: string, name: string) {
    return this.call<ProjectSummary>('POST', `/projects/${id}/rename`, { name });
  }
  duplicateProject(id: string) {
    return this.call<ProjectSummary>('POST', `/projects/${id}/duplicate`);
  }
  trashProject(id: string) {
    return this.call<void>('DELETE', `/projects/${id}`);
  }
  restoreProject(id: string) {
    return this.call<void>('POST', `/projects/${id}/restore`);
  }
  purgeProject(id: string) {
    return this.call<void>('POST', `/projects/${id}/purge`);
  }
  async posterUrl(p: ProjectSummary) {
    return `${this.base}/api/projects/${p.id}/poster.png?rev=${p.revision}&token=${encodeURIComponent(this.token)}`;
  }
  openProject(id: string, markers = true) {
    return this.call<import('../bindings/api').SessionState>('GET', `/projects/${id}${markers ? '' : '?markers=false'}`);
  }
  closeProject(id: string) {
    return this.call<void>('POST', `/projects/${id}/close`);
  }
  undo(id: string) {
    return this.call<import('../bindings/api').EditResult | null>('POST', `/projects/${id}/undo`);
  }
  redo(id: string) {
    return this.call<import('../bindings/api').EditResult | null>('POST', `/projects/${id}/redo`);
  }
  async seekToMessage(id: string, messageId: string) {
    const r = await this.call<{ timeUs: number }>('GET', `/projects/${id}/seek/${encodeURIComponent(messageId)}`);
    return r.timeUs;
  }
  applyWithFrame(id: string, op: EditOp, follow: boolean, timeUs: number, maxWidth: number) {
    return this.frames.edit(id, op, follow, timeUs, maxWidth);
  }
  markers(id: string) {
    return this.call<import('../bindings/api').Marker[]>('GET', `/projects/${id}/markers`);
  }
  frame(id: string, timeUs: number, maxWidth: number): Promise<Frame | null> {
    return this.frames.request(id, timeUs, maxWidth);
  }
  play(id: string, fromUs?: number) {
    const body = fromUs === undefined ? {} : { fromUs: Math.round(fromUs) };
    return this.call<PlaybackState>('POST', `/projects/${id}/playback/play`, body);
  }
  pause(id: string) {
    return this.call<PlaybackState>('POST', `/projects/${id}/playback/pause`);
  }
  seekPlayback(id: string, timeUs: number) {
    return this.call<PlaybackState>('POST', `/projects/${id}/playback/seek`, { timeUs: Math.round(timeUs) });
  }
  playbackState(id: string) {
    return this.call<PlaybackState>('GET', `/projects/${id}/playback`);
  }
  addMedia(name: string, bytes: ArrayBuffer) {
    return this.call<import('../bindings/api').MediaInfo>('POST', `/media?name=${encodeURIComponent(name)}`, bytes);
  }
  importProject(name: string, bytes: ArrayBuffer) {
    return this.call<ProjectSummary>('POST', `/import?name=${encodeURIComponent(name)}`, bytes);
  }
  async saveProjectFile(project: ProjectSummary, bundle: boolean) {
    // A browser has no save dialog to call: fetch the file (errors become toasts) and hand it to
    // the browser as a download named by the server's Content-Disposition.
    const file = await this.call<{ name: string; blob: Blob }>(
      'GET',
      `/projects/${project.id}/file?format=${bundle ? 'bundle' : 'json'}`,
      undefined,
      'file',
    );
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return file.name;
  }
  startExport(id: string, request: ExportRequest) {
    return this.call<import('../bindings/api').ExportJob>('POST', `/projects/${id}/exports`, request);
  }
  listExports() {
    return this.call<import('../bindings/api').ExportJob[]>('GET', '/exports');
  }
  cancelExport(job: string) {
    return this.call<import('../bindings/api').ExportJob>('POST', `/exports/${job}/cancel`);
  }
  revealExport(job: string) {
    return this.call<void>('POST', `/exports/${job}/reveal`);
  }
  suggestExportName(id: string, format: string, folder: string) {
    const q = new URLSearchParams({ format, folder });
    return this.call<string>('GET', `/projects/${id}/export-name?${q}`);
  }
  voices() {
    return this.call<import('../bindings/api').VoiceCatalog>('GET', '/voices');
  }
  playVoiceSample(voice: import('../bindings/api').VoiceSettings, text: string) {
    return this.call<import('../bindings/api').PlaybackState>('POST', '/voices/sample', { voice, text });
  }
  generateVoice(id: string) {
    return this.call<import('../bindings/api').VoiceJob>('POST', `/projects/${id}/voice`);
  }
  voiceJob(id: string) {
    return this.call<import('../bindings/api').VoiceJob | null>('GET', `/projects/${id}/voice`);
  }
  cancelVoice(id: string) {
    return this.call<import('../bindings/api').VoiceJob | null>('POST', `/projects/${id}/voice/cancel`);
  }
  async quit() {
    // A page may close only the tab its script opened; quitting a browser is the user's.
    window.close();
  }
}
