import type { Frame } from './backend/types';
import { BackendError } from './backend/types';
import type { EditOp, EditResult } from './bindings/api';

/** Header of a binary frame: width u32, height u32, time i64 (little-endian), then RGBA8 rows. */
export const FRAME_HEADER = 16;

export function decodeFrame(buf: ArrayBuffer): Frame {
  if (buf.byteLength < FRAME_HEADER) throw new Error(`frame too short: ${buf.byteLength} bytes`);
  const view = new DataView(buf);
  const width = view.getUint32(0, true);
  const height = view.getUint32(4, true);
  const timeUs = Number(view.getBigInt64(8, true));
  const expected = FRAME_HEADER + width * height * 4;
  if (buf.byteLength !== expected) throw new Error(`frame is ${buf.byteLength} bytes, expected ${expected}`);
  return { width, height, timeUs, rgba: new Uint8ClampedArray(buf, FRAME_HEADER) };
}

/** A message sent on the socket and what to do with the replies it gets. */
interface Pending {
  msg: string;
  /** Handles one reply; `true` when the request has all its replies. */
  reply: (data: ArrayBuffer | string) => boolean;
  fail: (e: Error) => void;
}

const socketError = (data: string) => {
  const err = JSON.parse(data) as { code?: string; message?: string };
  return new BackendError(err.code ?? 'INTERNAL', err.message ?? data);
};

/**
 * Frames (and edits with their frame) over one loopback WebSocket, one request in flight. Edits
 * queue and are all sent, in order, before any frame request; of frame requests only the newest
 * waits (older ones resolve to null), so scrubbing never queues stale frames.
 */
export class FrameSocket {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private inFlight: Pending | null = null;
  private edits: Pending[] = [];
  private waiting: (Pending & { drop: () => void }) | null = null;

  constructor(private url: () => Promise<string>) {}

  /** Connects ahead of the first request (the editor's first frame should not wait for it). */
  warm() {
    this.open().catch(() => undefined);
  }

  private open(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    this.opening = this.url().then(
      (url) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.binaryType = 'arraybuffer';
          ws.onopen = () => {
            this.ws = ws;
            this.opening = null;
            resolve(ws);
          };
          ws.onerror = () => {
            this.opening = null;
            reject(new Error('preview socket failed'));
          };
          ws.onclose = () => {
            this.ws = null;
            this.inFlight?.fail(new Error('preview socket closed'));
            this.inFlight = null;
            this.pump();
          };
          ws.onmessage = (ev) => this.receive(ev.data);
        }),
    );
    return this.opening;
  }

  private receive(data: ArrayBuffer | string) {
    const pending = this.inFlight;
    if (pending && !pending.reply(data)) return;
    this.inFlight = null;
    this.pump();
  }

  private pump() {
    if (this.inFlight) return;
    let next: Pending | undefined = this.edits.shift();
    if (!next && this.waiting) {
      next = this.waiting;
      this.waiting = null;
    }
    if (!next) return;
    // Marked in flight before the socket is open, so a second pump cannot send alongside it.
    const sending = next;
    this.inFlight = sending;
    this.open().then(
      (ws) => ws.send(sending.msg),
      (e) => {
        this.inFlight = null;
        sending.fail(e);
        this.pump();
      },
    );
  }

  request(project: string, t: number, maxWidth: number): Promise<Frame | null> {
    return new Promise((resolve, reject) => {
      this.waiting?.drop();
      this.waiting = {
        msg: JSON.stringify({ project, t: Math.round(t), maxWidth }),
        reply: (data) => {
          if (typeof data === 'string') reject(socketError(data));
          else {
            try {
              resolve(decodeFrame(data));
            } catch (e) {
              reject(e as Error);
            }
          }
          return true;
        },
        fail: reject,
        drop: () => resolve(null),
      };
      this.pump();
    });
  }

  /**
   * Applies `op` (the backend persists it before answering) and returns its result with the
   * frame of the edited document: at the last message it touched with `follow`, else at `t`.
   * The frame is null if drawing failed (the edit itself stands).
   */
  edit(project: string, op: EditOp, follow: boolean, t: number, maxWidth: number): Promise<{ result: EditResult; frame: Frame | null }> {
    return new Promise((resolve, reject) => {
      let result: EditResult | null = null;
      this.edits.push({
        msg: JSON.stringify({ project, apply: op, follow, t: Math.round(t), maxWidth }),
        reply: (data) => {
          if (result === null) {
            if (typeof data !== 'string') {
              reject(new Error('preview socket: a frame came before the edit result'));
              return true;
            }
            const parsed = JSON.parse(data) as { edit?: EditResult };
            if (!parsed.edit) {
              reject(socketError(data));
              return true;
            }
            result = parsed.edit;
            return false;
          }
          let frame: Frame | null = null;
          if (typeof data !== 'string') {
            try {
              frame = decodeFrame(data);
            } catch {
              frame = null;
            }
          }
          resolve({ result, frame });
          return true;
        },
        fail: reject,
      });
      this.pump();
    });
  }
}
