import { defineConfig } from 'vite';

// React without a plugin: esbuild compiles TSX with the automatic JSX runtime.
// The build lands in the Maven module's classes, so it ships inside the dashboard jar and the
// gateway serves it from classpath:/static.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'target/classes/static', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // `npm run dev` proxies the API to the gateway of `./lodestar up` (LODESTAR_GATEWAY_URL for another one)
  server: { proxy: { '/v1': process.env.LODESTAR_GATEWAY_URL ?? 'http://127.0.0.1:8080' } },
  test: { environment: 'node', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
} as never);
