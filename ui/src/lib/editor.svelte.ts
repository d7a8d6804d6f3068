// The editor's view of one open project. The document itself lives in Rust: every change is an
// `EditOp` sent to the backend, and what is shown here is the state it acknowledged.
import type { Backend } from './backend';
import type { EditOp, EditResult, Message, Participant, PlaybackState, SessionState } from './bindings/api';
import { notifyError } from './toasts.svelte';
import { clamp } from './time';

/** Edit → frame on screen, for the benchmark (read by tests via `window.__chatframeMetrics`). */
export const metrics = { editToFrameMs: [] as number[], scrubFrameMs: [] as number[] };
(globalThis as unknown as { __chatframeMetrics: typeof metrics }).__chatframeMetrics = metrics;

export class EditorStore {
  state = $state<SessionState | null>(null);
  time = $state(0);
  playing = $state(false);
  /** Playback has no sound (no audio device): the transport keeps time on the monotonic clock. */
  silent = $state<string | null>(null);
  /** A play request is on its way (the soundtrack may be mixing). */
  starting = $state(false);
  selected = $state<string | null>(null);
  /** Who the composer sends as; Tab cycles through the participants. */
  sender = $state<string | null>(null);
  /** Bumped after every acknowledged change: the preview re-requests its frame. */
  revision = $state(0);
  /** performance.now() of the last edit sent, until its frame is painted. */
  editStarted: number | null = null;
  /** Edits sent and not yet acknowledged (durable); the header shows "Saving…" meanwhile. */
  pending = $state(0);
  private queue: Promise<unknown> = Promise.resolve();

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

  participant(id: string | null | undefined): Participant | undefined {
    return this.participants.find((p) => p.id === id);
  }

  async load() {
    this.state = await this.backend.openProject(this.id);
    this.revision = this.state.revision;
    if (!this.sender || !this.participant(this.sender)) {
      this.sender = this.participants.find((p) => p.side === 'me')?.id ?? this.participants[0]?.id ?? null;
    }
    this.time = clamp(this.time, 0, this.duration);
  }

  /** Edits run one after another, in the order the user made them. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.queue.then(f, f).finally(() => this.pending--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async after(result: EditResult | null) {
    if (!result) return;
    // The backend stopped playback with the change (it would play the old document).
    this.playing = false;
    // Bump first: the preview asks for its frame while the new state is still on its way.
    this.revision = result.revision;
    await this.load();
  }

  /** Applies an op; resolves `true` once it is durable, `false` (with a notice) when refused. */
  apply(op: EditOp): Promise<boolean> {
    return this.serial(async () => {
      try {
        this.editStarted = performance.now();
        await this.after(await this.backend.apply(this.id, op));
        return true;
      } catch (e) {
        this.editStarted = null;
        notifyError(e);
        return false;
      }
    });
  }

  undo() {
    return this.serial(async () => {
      try {
        this.editStarted = performance.now();
        await this.after(await this.backend.undo(this.id));
      } catch (e) {
        notifyError(e);
      }
    });
  }

  redo() {
    return this.serial(async () => {
      try {
        this.editStarted = performance.now();
        await this.after(await this.backend.redo(this.id));
      } catch (e) {
        notifyError(e);
      }
    });
  }

  /** Adds a message after the selected one (or at the end) and shows it. */
  async addMessage(message: Partial<Message>) {
    const sel = this.selected ? this.messages.findIndex((m) => m.id === this.selected) : -1;
    const index = sel >= 0 && sel < this.messages.length - 1 ? sel + 1 : null;
    const before = new Set(this.messages.map((m) => m.id));
    const ok = await this.apply({ op: 'addMessage', index, message: { id: '', ...message } as Message });
    if (!ok) return;
    const added = this.messages.find((m) => !before.has(m.id ?? ''));
    if (added?.id) {
      if (index !== null) this.selected = added.id;
      await this.seekTo(added.id);
    }
  }

  nextSender() {
    const ps = this.participants.filter((p) => true);
    if (!ps.length) return;
    const i = ps.findIndex((p) => p.id === this.sender);
    this.sender = ps[(i + 1) % ps.length].id;
  }

  async seekTo(messageId: string) {
    try {
      this.seek(await this.backend.seekToMessage(this.id, messageId));
    } catch (e) {
      notifyError(e);
    }
  }

  /** Moves the play head; while playing, the sound jumps there too. */
  seek(timeUs: number) {
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
