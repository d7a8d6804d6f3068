// Transient notices (errors from the backend, "Exported …"). An error toast says what failed
// (the caller names the action), why (the backend's message names the field or file), and what
// to do about it, never just "Load failed".

import { describeError } from './errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function notify(text: string, kind: Toast['kind'] = 'info', ms = 4000) {
  const id = next++;
  toasts.push({ id, kind, text });
  setTimeout(() => dismiss(id), ms);
}

/** Shows `e` as an error toast; `what` names the action that failed ("Could not add the photo"). */
export function notifyError(e: unknown, what?: string) {
  notify(describeError(e, what), 'error', 8000);
}

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
