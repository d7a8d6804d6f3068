// The editor's view of one open project. The document itself lives in Rust: every change is an
// `EditOp` sent to the backend, and what is shown here is the state it acknowledged.
import type { Backend, Frame } from './backend';
import { BackendError } from './backend/types';
import type {
  EditOp,
  EditResult,
  Marker,
  Message,
  Participant,
  PlaybackState,
  SessionState,
  VoiceJob,
  VoiceStatus,
} from './bindings/api';
import { added, patchMessages, touchesMoreThanMessages } from './patch';
import { notify, notifyError } from './toasts.svelte';
import { undoNotice } from './describe';
import { clamp } from './time';

/** Edit → frame on screen, for the benchmark (read by tests via `window.__chatframeMetrics`). */
export const metrics = {
  editToFrameMs: [] as number[],
  scrubFrameMs: [] as number[],
  /** Set to an array (by a profiling script) to record where an edit's time goes. */
  trace: null as [string, number][] | null,
};
/** Records a point of an edit's way to the screen when a script is tracing. */
export function mark(label: string) {
  metrics.trace?.push([label, performance.now()]);
}

/** How long an acknowledged edit waits for its frame before updating the rest of the editor. */
const EDIT_FRAME_WAIT_MS = 60;
/** How often a running voice-over job is asked how far it got. */
const VOICE_POLL_MS = 300;

const sleep = (ms: number) => new Promise<null>((done) => setTimeout(() => done(null), ms));

/** Widest preview frame: a quarter of 1080p's pixels (a 540×960 frame is 2 MB). */
export const PREVIEW_MAX_WIDTH = 540;

/** The preview frame width for a pane showing the video `shownWidth` CSS pixels wide: its device
 * pixels (sharp, and no larger than what is seen), even, at most PREVIEW_MAX_WIDTH. */
export function previewWidth(shownWidth: number, pixelRatio: number): number {
  const w = Math.ceil(shownWidth * pixelRatio);
  return Math.max(16, Math.min(PREVIEW_MAX_WIDTH, w + (w % 2)));
}

/** `localStorage.previewWidth` pins the frame width (the benchmarks scrub at 540×960). */
function pinnedWidth(): number | null {
  const pinned = Number(globalThis.localStorage?.getItem('previewWidth'));
  return pinned > 0 ? pinned : null;
}
(globalThis as unknown as { __chatframeMetrics: typeof metrics }).__chatframeMetrics = metrics;

export class EditorStore {
  /** The acknowledged document. Raw (not deeply reactive): it is replaced, never mutated, so a
   * 5,000-message chat costs no proxies and unchanged messages keep their identity. */
  state = $state.raw<SessionState | null>(null);
  /** Where each message sits on the timeline; refreshed after the frame of an edit is painted. */
  markers = $state.raw<Marker[]>([]);
  time = $state(0);
  playing = $state(false);
  /** Playback has no sound (no audio device): the transport keeps time on the monotonic clock. */
  silent = $state<string | null>(null);
  /** A play request is on its way (the soundtrack may be mixing). */
  starting = $state(false);
  selected = $state<string | null>(null);
  /** Who the composer sends as; Tab cycles through the participants. */
  sender = $state<string | null>(null);
  /** After each message the composer sends, the sender switches to the next participant (so a
   * two-person chat alternates with Enter alone). Remembered per project; on by default when
   * the chat has exactly two people. */
  alternate = $state(false);
  /** The last "Generate voice-over" run of this editor, while it runs and after. */
  voiceJob = $state<VoiceJob | null>(null);
  /** Bumped when generated clips changed the timeline without a new revision (the preview and
   * the timeline redraw). */
  voiceRefreshes = $state(0);
  /** Bumped after every acknowledged change: the preview re-requests its frame. */
  revision = $state(0);
  /** performance.now() of the last edit sent, until its frame is painted. */
  editStarted: number | null = null;
  /** Edits sent and not yet acknowledged (durable); the header shows "Saving…" meanwhile. */
  pending = $state(0);
  private queue: Promise<unknown> = Promise.resolve();
  private markerWanted = 0;
  private markerLoading = false;
  private paintWaiters: (() => void)[] = [];
  /** The frame an acknowledged edit asked for before the page re-rendered, by `revision@time`. */
  private prefetched: { key: string; frame: Promise<Frame | null> } | null = null;
  /** Width the preview frames are drawn at (the preview pane sets it from its size). */
  previewWidth = $state(PREVIEW_MAX_WIDTH);
  /** Paints a frame on the preview right away (set by the preview while it is mounted). */
  painter: ((frame: Frame) => void) | null = null;
  /** `revision@time` of the frame the painter last showed for an edit, so the preview does not
   * ask for it again when the editor's state catches up. */
  shownKey: string | null = null;

  constructor(
    public backend: Backend,
    public id: string,
  ) {}

  get project() {
    return this.state?.project ?? null;
  }
  get duration() {
    return this.state?.durationUs ?? 0;
  }
  get participants(): Participant[] {
    return this.state?.project.participants ?? [];
  }
  get messages(): Message[] {
    return this.state?.project.messages ?? [];
  }

  /** Which spoken lines have clips and which are still to generate. */
  get voice(): VoiceStatus | null {
    return this.state?.voice ?? null;
  }

  /** Starts "Generate voice-over" and follows it until it ends; then the editor reloads, since
   * the timeline now waits for the new lines. Resolves with how the job ended. */
  async generateVoice(): Promise<VoiceJob | null> {
    this.voiceJob = await this.backend.generateVoice(this.id);
    while (this.voiceJob?.state === 'running') {
      await sleep(VOICE_POLL_MS);
      this.voiceJob = await this.backend.voiceJob(this.id);
    }
    await this.load();
    this.revision = this.state?.revision ?? this.revision;
    this.voiceRefreshes++;
    return this.voiceJob;
  }

  cancelVoice() {
    return this.backend.cancelVoice(this.id);
  }

  participant(id: string | null | undefined): Participant | undefined {
    return this.participants.find((p) => p.id === id);
  }

  async load() {
    // Opening: ask for the first frame (at 0:00) alongside the document, so the backend draws it
    // while the document crosses over. The preview is mounted before the document arrives and
    // shows the frame the moment it comes, whichever of the two is first (unless the user has
    // moved the play head meanwhile).
    const first = this.state ? null : this.backend.frame(this.id, 0, this.frameWidth());
    first?.then((f) => {
      if (f && this.painter && this.time === 0) this.painter(f);
    }, notifyError);
    mark('open requested');
    // Without the markers (a quarter of a long chat's state): they follow the first frame.
    const state = await this.backend.openProject(this.id, false);
    mark('document arrived');
    this.state = state;
    // ... so the preview must not ask for it again.
    if (first && this.time === 0) this.shownKey = `${this.state.revision}@0`;
    this.revision = this.state.revision;
    // The timeline keeps the markers it has until the fresh ones arrive.
    this.refreshMarkers();
    if (!this.sender || !this.participant(this.sender)) {
      this.sender = this.participants.find((p) => p.side === 'me')?.id ?? this.participants[0]?.id ?? null;
    }
    const kept = globalThis.localStorage?.getItem(this.alternateKey);
    this.alternate = kept === null || kept === undefined ? this.participants.length === 2 : kept === '1';
    this.time = clamp(this.time, 0, this.duration);
  }

  /** Edits run one after another, in the order the user made them. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.queue.then(f, f).finally(() => this.pending--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Takes an acknowledged change into the editor: the message list is patched from the result's
   * changes (a refetch only when the change reaches beyond messages), and the preview is asked
   * for exactly one frame, at the new message when `follow` is set. Markers come afterwards.
   */
  private async after(result: EditResult | null, follow = false, edited: Frame | null = null) {
    if (!result || !this.state) return;
    // The backend stopped playback with the change (it would play the old document).
    this.playing = false;
    const c = result.changes;
    const before = this.messages;
    const messages = touchesMoreThanMessages(c) ? null : patchMessages(before, c);
    // The edit's frame comes first: the preview paints it while the page is idle, and the rest of
    // the editor re-renders after. An edit sent on the preview socket brings its frame along
    // (drawn where the backend followed it); otherwise it is asked for here, and a slow frame
    // does not hold the editor back: past EDIT_FRAME_WAIT_MS the preview takes it when it comes.
    const shown = follow && !edited ? added(before, c).at(-1) : undefined;
    const at = edited ? edited.timeUs : clamp(shown ? shown.seekUs : this.time, 0, result.durationUs);
    const key = `${result.revision}@${at}`;
    let arrived = edited;
    if (!arrived) {
      const frame = this.backend.frame(this.id, at, this.frameWidth());
      mark('frame requested');
      arrived = await Promise.race([frame.catch(() => null), sleep(EDIT_FRAME_WAIT_MS)]);
      if (!arrived) this.prefetched = { key, frame };
    }
    // Without a mounted preview the frame is dropped and the preview asks again when it mounts.
    if (arrived && this.painter) {
      this.painter(arrived);
      mark('painted');
      this.shownKey = key;
    }
    if (messages) {
      const { revision, canUndo, canRedo, durationUs, voice } = result;
      this.state = { ...this.state, revision, canUndo, canRedo, durationUs, voice, project: { ...this.state.project, messages } };
    }
    // Time and revision change together: the preview requests one frame, for both.
    this.time = at;
    this.revision = result.revision;
    if (messages) this.refreshMarkers();
    else await this.load(); // which refreshes the markers too
  }

  /** The preview frame at `timeUs` of `revision`: the one an edit already requested, if it is
   * that one, else a new request (the latest request wins while one is in flight). */
  frame(timeUs: number, revision: number): Promise<Frame | null> {
    const p = this.prefetched;
    this.prefetched = null;
    if (p?.key === `${revision}@${timeUs}`) return p.frame;
    return this.backend.frame(this.id, timeUs, this.frameWidth());
  }

  private frameWidth() {
    return pinnedWidth() ?? this.previewWidth;
  }

  /** Called by the preview after it paints a frame. */
  painted() {
    const waiters = this.paintWaiters;
    this.paintWaiters = [];
    for (const w of waiters) w();
  }

  /** Refetches the markers once the edit's frame is on screen (or after 250 ms), so they never
   * compete with it; edits arriving meanwhile share one fetch. */
  private refreshMarkers() {
    this.markerWanted++;
    if (this.markerLoading) return;
    this.markerLoading = true;
    const run = async () => {
      await new Promise<void>((done) => {
        this.paintWaiters.push(done);
        setTimeout(done, 250);
      });
      for (;;) {
        const wanted = this.markerWanted;
        try {
          this.markers = await this.backend.markers(this.id);
        } catch {
          // The next edit (or reopening) fetches them again; the timeline keeps the old ones.
        }
        if (wanted === this.markerWanted) break;
      }
      this.markerLoading = false;
    };
    run();
  }

  /** Applies an op; resolves `true` once it is durable, `false` (with a notice) when refused.
   * With `follow`, the preview moves to the message the op added. */
  apply(op: EditOp, follow = false): Promise<boolean> {
    return this.serial(async () => {
      try {
        this.editStarted = performance.now();
        mark('apply');
        // The edit and its frame in one round trip on the preview socket.
        const { result, frame } = await this.backend.applyWithFrame(this.id, op, follow, this.time, this.frameWidth());
        mark('acknowledged');
        await this.after(result, follow, frame);
        return true;
      } catch (e) {
        this.editStarted = null;
        notifyError(e);
        // The connection failed mid-edit: the edit may or may not have been made. Take the
        // backend's word for the document.
        if (!(e instanceof BackendError)) await this.load().catch(() => undefined);
        return false;
      }
    });
  }

  undo() {
    return this.history('undo');
  }

  redo() {
    return this.history('redo');
  }

  /** Undo or redo, and a short notice of what it undid or redid. */
  private history(kind: 'undo' | 'redo') {
    return this.serial(async () => {
      try {
        this.editStarted = performance.now();
        const before = this.messages;
        const result = await (kind === 'undo' ? this.backend.undo(this.id) : this.backend.redo(this.id));
        if (result) notify(undoNotice(kind, before, result.changes), 'info', 2500);
        await this.after(result);
      } catch (e) {
        notifyError(e);
      }
    });
  }

  private get alternateKey() {
    return `chatframe.alternate.${this.id}`;
  }

  setAlternate(on: boolean) {
    this.alternate = on;
    globalThis.localStorage?.setItem(this.alternateKey, on ? '1' : '0');
  }

  /** Copies a message (text, kind, sender, media, reactions, timing) in right after it. */
  duplicateMessage(id: string) {
    const i = this.messages.findIndex((m) => m.id === id);
    if (i < 0) return Promise.resolve(false);
    return this.apply({ op: 'addMessage', index: i + 1, message: { ...this.messages[i], id: '' } }, true);
  }

  /** Moves a message one place up (-1) or down (+1). */
  moveBy(id: string, by: -1 | 1) {
    const to = this.messages.findIndex((m) => m.id === id) + by;
    if (to < 0 || to >= this.messages.length) return Promise.resolve(false);
    return this.apply({ op: 'moveMessage', id, to });
  }

  /** Adds a message after the selected one (or at the end) and shows it; `true` once durable. */
  async addMessage(message: Partial<Message>): Promise<boolean> {
    const sel = this.selected ? this.messages.findIndex((m) => m.id === this.selected) : -1;
    const index = sel >= 0 && sel < this.messages.length - 1 ? sel + 1 : null;
    const before = new Set(this.messages.map((m) => m.id));
    const ok = await this.apply({ op: 'addMessage', index, message: { id: '', ...message } as Message }, true);
    if (!ok || index === null) return ok;
    const added = this.messages.find((m) => !before.has(m.id ?? ''));
    if (added?.id) this.selected = added.id;
    return ok;
  }

  nextSender() {
    const ps = this.participants;
    if (!ps.length) return;
    const i = ps.findIndex((p) => p.id === this.sender);
    this.sender = ps[(i + 1) % ps.length].id;
  }

  /** Shows `messageId` settled, unless the play head moved while the backend answered: a late
   * answer must not drag the play head back from where the user has since scrubbed to. */
  async seekTo(messageId: string) {
    const moves = this.headMoves;
    try {
      const at = await this.backend.seekToMessage(this.id, messageId);
      if (this.headMoves === moves) this.seek(at);
    } catch (e) {
      notifyError(e);
    }
  }

  /** Counts the play head's moves (see `seekTo`). */
  private headMoves = 0;

  /** Moves the play head; while playing, the sound jumps there too. */
  seek(timeUs: number) {
    this.headMoves++;
    this.time = clamp(Math.round(timeUs), 0, this.duration);
    if (this.playing) this.backend.seekPlayback(this.id, this.time).catch(notifyError);
  }

  /** Takes the transport's word for where playback is. */
  heard(s: PlaybackState) {
    this.silent = s.silent ? (s.silentReason ?? 'no audio output') : null;
    if (s.project !== this.id || !s.playing) this.playing = false;
  }

  /** Plays from the play head (from the start when at the end); the picture follows the sound.
   * `playing` turns on only once the transport plays (the first play after an edit mixes the
   * soundtrack first), so the preview never polls a transport that has not started. */
  async play() {
    if (this.playing || this.starting) return;
    this.starting = true;
    try {
      const s = await this.backend.play(this.id, this.time >= this.duration ? 0 : this.time);
      this.time = s.positionUs;
      this.playing = s.playing && s.project === this.id;
      this.heard(s);
    } catch (e) {
      notifyError(e);
    } finally {
      this.starting = false;
    }
  }

  async pause() {
    if (!this.playing) return;
    this.playing = false;
    try {
      const s = await this.backend.pause(this.id);
      if (s.project === this.id) this.time = s.positionUs;
    } catch (e) {
      notifyError(e);
    }
  }

  togglePlay() {
    return this.playing ? this.pause() : this.play();
  }

  async select(messageId: string | null, seek = true) {
    this.selected = messageId;
    if (messageId && seek) await this.seekTo(messageId);
  }
}
