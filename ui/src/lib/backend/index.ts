import type { Backend } from './types';
import { HttpBackend } from './http';
import { TauriBackend } from './tauri';

/** Inside the desktop app Tauri injects its IPC bridge; anywhere else, talk HTTP to `chatframe api`. */
export function pickBackend(): Backend {
  if ('__TAURI_INTERNALS__' in window) return new TauriBackend();
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('chatframeToken') ?? '';
  if (params.get('token')) {
    sessionStorage.setItem('chatframeToken', token);
    // Keep the token out of the address bar (screenshots, history).
    history.replaceState(null, '', location.pathname);
  }
  const base = params.get('api') ?? location.origin;
  return new HttpBackend(base, token);
}

export { BackendError } from './types';
export type { Backend, Frame } from './types';
