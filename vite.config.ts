import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'
import { precompress } from './client/build/precompress.ts'

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [react(), precompress()],
  build: { outDir: '../dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  // tldraw's bundled assets break Vite's dependency pre-bundling (see ../shared/STACK.md).
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787', '/ws': { target: 'ws://127.0.0.1:8787', ws: true } },
  },
  test: {
    root: '.',
    environment: 'node',
    testTimeout: 30_000,
    // Browser tests wait for real sync over real sockets; on a loaded 2-core CI machine the
    // default 1 s poll window is too tight. Waiting longer never makes a wrong result pass.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: browser tests start Chromium, so keep parallel files few.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['{shared,server,client,tests}/**/*.test.{ts,tsx}'] } },
      // The same integration and adversarial tests on PostgreSQL, one fresh database per server
      // (tests/helpers/testServer.ts). Crash and soak runs spawn their own servers (SQLite);
      // the cluster's crash harness is in tests/cluster. Tests of the wire alone (frames,
      // handshakes, presence, fan-out, sizes and headers) refuse or answer before storage, so
      // they run once.
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/{integration,adversarial}/**/*.test.ts'],
          exclude: [
            'tests/adversarial/{crash,soak,framing,handshake,presence,trafficSizes}.test.ts',
            'tests/integration/{clientAssets,callApi,fanout,presence,noStore}.test.ts',
          ],
          env: { PARITY_TEST_STORAGE: 'postgres' },
          globalSetup: ['tests/helpers/postgresGlobalSetup.ts'],
        },
      },
    ],
  },
})
