// Keyboard shortcuts, matched the same way everywhere (Ctrl on Linux/Windows, Cmd on macOS).

export interface Combo {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export function matches(e: KeyboardEvent, c: Combo): boolean {
  const mod = e.ctrlKey || e.metaKey;
  return (
    e.key.toLowerCase() === c.key.toLowerCase() && mod === !!c.mod && e.shiftKey === !!c.shift && e.altKey === !!c.alt
  );
}

/** Whether the event comes from a field where typing (and the browser's own undo) belongs. */
export function inTextField(e: Event): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'color'].includes(t.type);
}

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) → 'undo' | 'redo'. */
export function undoRedo(e: KeyboardEvent): 'undo' | 'redo' | null {
  if (matches(e, { key: 'z', mod: true })) return 'undo';
  if (matches(e, { key: 'z', mod: true, shift: true }) || matches(e, { key: 'y', mod: true })) return 'redo';
  return null;
}
