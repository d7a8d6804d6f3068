import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Relative asset URLs: the same build is served by Tauri (tauri://) and by `chatframe api` (http).
export default defineConfig({
  base: './',
  plugins: [svelte()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
