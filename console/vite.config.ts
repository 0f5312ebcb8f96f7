// The console SPA's build: root console/, output ../dist/console (served by `posture console` and,
// deployed, from the private bucket behind CloudFront). #console and #core reach the API's
// contracts and the permission matrix, so the SPA parses with the same zod schemas the API declares.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: [{ find: /^#console\/(.*)$/, replacement: here('../src/console/$1') }, { find: /^#core\/(.*)$/, replacement: here('../src/core/$1') }] },
  build: { outDir: here('../dist/console'), emptyOutDir: true, chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  logLevel: 'warn',
});
