/**
 * Vite build of the web UI: `npx vite build --config web/vite.config.ts` writes web/dist,
 * which the server serves. In development, `/api` is proxied to MSP_RECON_API_URL.
 */
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Mantine, TanStack and dnd-kit together exceed Vite's 500 kB warning. One chunk is fine
    // for an app that its own server serves.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': process.env.MSP_RECON_API_URL ?? 'http://127.0.0.1:8080',
    },
  },
})
