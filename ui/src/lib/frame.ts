import type { Frame } from './backend/types';

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

/**
 * Frames over one loopback WebSocket: one request in flight, and while it is, only the newest
 * request waits (older ones resolve to null). Scrubbing then never queues stale frames.
 */
export class FrameSocket {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private inFlight: { resolve: (f: Frame | null) => void; reject: (e: Error) => void } | null = null;
  private waiting: { msg: string; resolve: (f: Frame | null) => void; reject: (e: Error) => void } | null = null;

  constructor(private url: () => Promise<string>) {}

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
            this.inFlight?.reject(new Error('preview socket closed'));
            this.inFlight = null;
          };
          ws.onmessage = (ev) => this.receive(ev.data);
        }),
    );
    return this.opening;
  }

  private receive(data: ArrayBuffer | string) {
    const pending = this.inFlight;
    this.inFlight = null;
    if (pending) {
      if (typeof data === 'string') {
        const err = JSON.parse(data);
        pending.reject(new Error(err.message ?? data));
      } else {
        try {
          pending.resolve(decodeFrame(data));
        } catch (e) {
          pending.reject(e as Error);
        }
      }
    }
    this.pump();
  }

  private pump() {
    if (this.inFlight || !this.waiting) return;
    const next = this.waiting;
    this.waiting = null;
    this.open().then(
      (ws) => {
        this.inFlight = { resolve: next.resolve, reject: next.reject };
        ws.send(next.msg);
      },
      (e) => next.reject(e),
    );
  }

  request(project: string, t: number, maxWidth: number): Promise<Frame | null> {
    return new Promise((resolve, reject) => {
      this.waiting?.resolve(null);
      this.waiting = { msg: JSON.stringify({ project, t: Math.round(t), maxWidth }), resolve, reject };
      this.pump();
    });
  }
}
