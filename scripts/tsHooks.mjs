// Module hooks that run our TypeScript on Node without tsx's `keepNames`. tsx (esbuild with
// keepNames) wraps every named closure in `__name(fn, "…")`, a defineProperty that puts the
// function into dictionary mode: 256 bytes and a slower call for every closure the server makes
// per socket and per room. Types are only stripped here; `npm test` type-checks.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const tsconfig = JSON.parse(await readFile(new URL('../tsconfig.json', import.meta.url), 'utf8'))
const { target, useDefineForClassFields, verbatimModuleSyntax } = tsconfig.compilerOptions

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const result = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
    tsconfigRaw: { compilerOptions: { target, useDefineForClassFields, verbatimModuleSyntax } },
  })
  return { format: 'module', source: result.code, shortCircuit: true }
}
