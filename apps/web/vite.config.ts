/**
 * Vite config of the web app (docs/web.md): React, a build into dist/ that the gateway serves
 * (SHARDPAY_WEB_DIR), and a dev server that forwards the API (/v1, with its WebSocket) to a devnet
 * gateway (SHARDPAY_GATEWAY_URL, default http://127.0.0.1:8080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const gateway = process.env.SHARDPAY_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', manifest: true },
  server: {
    proxy: { '/v1': { target: gateway, changeOrigin: true, ws: true } },
  },
});
