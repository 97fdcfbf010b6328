// `npm start`: build the client if it is missing or older than its sources, then run the server.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0
if (built < Math.max(newest('client'), newest('shared'))) {
  console.log('Building the client…')
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}
// Our own TypeScript hooks rather than tsx: see scripts/tsHooks.mjs.
const server = spawnSync(process.execPath, ['--import', './scripts/registerTs.mjs', 'server/main.ts'], { stdio: 'inherit' })
process.exit(server.status ?? 0)
