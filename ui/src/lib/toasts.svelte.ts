// Transient notices (errors from the backend, "Exported …"). Errors name what went wrong; the
// backend's messages already carry the field or file.

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

export function notifyError(e: unknown) {
  const err = e as { code?: string; message?: string };
  notify(err.message ?? String(e), 'error', 6000);
}

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
