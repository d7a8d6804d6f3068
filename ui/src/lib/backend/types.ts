// The one interface the UI talks to. Two implementations: Tauri IPC (the desktop app) and HTTP to
// the local automation API (`chatframe api`, so the same UI runs in Chromium for tests).
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
  VoiceCatalog,
  VoiceJob,
  VoiceSettings,
} from '../bindings/api';

/** A decoded preview frame: straight RGBA8, ready for `ImageData`. */
export interface Frame {
  width: number;
  height: number;
  timeUs: number;
  rgba: Uint8ClampedArray;
}

/** What a failed call rejects with (the Rust `ErrorPayload`). */
export class BackendError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Backend {
  readonly kind: 'tauri' | 'http';
  catalog(): Promise<Catalog>;
  listProjects(query?: string, trash?: boolean): Promise<ProjectSummary[]>;
  createProject(request: CreateProject): Promise<ProjectSummary>;
  renameProject(id: string, name: string): Promise<ProjectSummary>;
  duplicateProject(id: string): Promise<ProjectSummary>;
  trashProject(id: string): Promise<void>;
  restoreProject(id: string): Promise<void>;
  purgeProject(id: string): Promise<void>;
  /** An image URL for the project's poster at its current revision. */
  posterUrl(project: ProjectSummary): Promise<string>;
  /** The session's state; with `markers = false` its marker list is empty (see `markers`). */
  openProject(id: string, markers?: boolean): Promise<SessionState>;
  closeProject(id: string): Promise<void>;
  /** Applies an op and returns the edited document's frame with the result, in one round trip
   * on the preview socket: at the last message the op touched with `follow`, else at `timeUs`. */
  applyWithFrame(
    id: string,
    op: EditOp,
    follow: boolean,
    timeUs: number,
    maxWidth: number,
  ): Promise<{ result: EditResult; frame: Frame | null }>;
  undo(id: string): Promise<EditResult | null>;
  redo(id: string): Promise<EditResult | null>;
  seekToMessage(id: string, messageId: string): Promise<number>;
  /** Where each message sits on the timeline now. */
  markers(id: string): Promise<Marker[]>;
  /** The frame at `timeUs`, no wider than `maxWidth`. Latest request wins while one is in flight. */
  frame(id: string, timeUs: number, maxWidth: number): Promise<Frame | null>;
  /** Plays the soundtrack from `fromUs` (or from where it was); mixes it first after an edit. */
  play(id: string, fromUs?: number): Promise<PlaybackState>;
  pause(id: string): Promise<PlaybackState>;
  /** Moves the play head, playing or paused. */
  seekPlayback(id: string, timeUs: number): Promise<PlaybackState>;
  /** The transport's position (the audio clock): polled once per animation frame while playing. */
  playbackState(id: string): Promise<PlaybackState>;
  addMedia(name: string, bytes: ArrayBuffer): Promise<MediaInfo>;
  /** Imports a `.chatframe.json` file or `.chatframe` bundle; a broken file changes nothing. */
  importProject(name: string, bytes: ArrayBuffer): Promise<ProjectSummary>;
  /** Saves the project as a file (the save dialog in the app, a download in a browser): the
   * document alone, or a bundle with its media. Resolves to where it went; null if cancelled. */
  saveProjectFile(project: ProjectSummary, bundle: boolean): Promise<string | null>;
  startExport(id: string, request: ExportRequest): Promise<ExportJob>;
  listExports(): Promise<ExportJob[]>;
  cancelExport(job: string): Promise<ExportJob>;
  /** Shows the output in the file manager; rejects with `REVEAL_UNAVAILABLE` naming where it is. */
  revealExport(job: string): Promise<void>;
  /** The file name an export in `format` to `folder` would get unless the user types another. */
  suggestExportName(id: string, format: string, folder: string): Promise<string>;
  /** The system's folder picker (the app only; a browser types the folder). Null if cancelled. */
  pickFolder?(start: string): Promise<string | null>;
  /** Every voice on this machine, and the speech engines that are missing with how to install them. */
  voices(): Promise<VoiceCatalog>;
  /** Speaks `text` with `voice` through the transport (the participant editor's play button). */
  playVoiceSample(voice: VoiceSettings, text: string): Promise<PlaybackState>;
  /** Starts "Generate voice-over" for the project (or returns the job already running). */
  generateVoice(id: string): Promise<VoiceJob>;
  /** The project's voice-over job, null when none was started; once ended, the session holds its clips. */
  voiceJob(id: string): Promise<VoiceJob | null>;
  cancelVoice(id: string): Promise<VoiceJob | null>;
  /** Quits the desktop app (Ctrl+Q); in a browser the tab is the browser's to close. */
  quit(): Promise<void>;
}
