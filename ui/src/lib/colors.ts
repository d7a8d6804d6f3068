// Avatar colours. Two people with the same initial must not look alike, so a participant
// without a colour of their own gets one from their id (stable across launches and edits) that
// no other participant of the project has, while the palette lasts.
import type { Participant } from './bindings/api';

export const PALETTE = ['#0a84ff', '#5e5ce6', '#ff9f0a', '#30d158', '#ff375f', '#64d2ff', '#bf5af2', '#8e8e93', '#ac8e68', '#ff6482'];

function own(p: Participant): string | undefined {
  const av = p.avatar as { color?: string } | null | undefined;
  return av?.color ?? p.color ?? undefined;
}

/** FNV-1a of the id: the same id always starts at the same palette entry. */
function hash(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Each participant's avatar colour: their own, else the first free palette entry from the
 * one their id picks ("me" starts at blue, the colour of outgoing bubbles). Earlier
 * participants keep their colour when a later one joins. */
export function avatarColors(all: Participant[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const p of all) {
    const c = own(p);
    if (c) taken.add(c.toLowerCase());
  }
  for (const p of all) {
    const c = own(p);
    if (c) {
      out.set(p.id, c);
      continue;
    }
    const start = p.side === 'me' ? 0 : hash(p.id) % PALETTE.length;
    let pick = PALETTE[start];
    for (let k = 0; k < PALETTE.length; k++) {
      const candidate = PALETTE[(start + k) % PALETTE.length];
      if (!taken.has(candidate)) {
        pick = candidate;
        break;
      }
    }
    taken.add(pick);
    out.set(p.id, pick);
  }
  return out;
}

/** A colour for a new participant: one nobody in the chat has yet. */
export function freshColor(all: Participant[]): string {
  const used = new Set(avatarColors(all).values());
  return PALETTE.slice(1).find((c) => !used.has(c)) ?? PALETTE[(all.length + 1) % PALETTE.length];
}
