// Files picked in an `<input type="file">` become library media: the bytes go to the backend
// (a webview cannot hand over a path), which stores them by content hash.
import type { Backend } from './backend';
import type { MediaInfo } from './bindings/api';
import { notifyError } from './toasts.svelte';

/**
 * Uploads the file chosen in the input that fired `e`, then clears the input so picking the same
 * file again fires again. Resolves null when nothing was chosen or the upload failed (with a notice).
 */
export async function uploadPicked(backend: Backend, e: Event): Promise<{ media: MediaInfo; file: File } | null> {
  const input = e.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return null;
  try {
    return { media: await backend.addMedia(file.name, await file.arrayBuffer()), file };
  } catch (err) {
    notifyError(err, `Could not add “${file.name}”`);
    return null;
  }
}
