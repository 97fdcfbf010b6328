// `node --import ./scripts/registerTs.mjs server/main.ts`: see tsHooks.mjs for why not tsx.
import { register } from 'node:module'

process.setSourceMapsEnabled(true)
register('./tsHooks.mjs', import.meta.url)
