#!/usr/bin/env node
// Runs the compiled CLI that `npm install` builds into dist/ (the `prepare` script). Without a
// build, with sources newer than the build (a checkout being edited), or with
// MSP_RECON_FROM_SOURCE=1, it runs the TypeScript sources through tsx, which costs about 40 MB
// more memory and a slower start.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const compiled = new URL('../dist/src/cli/entry.js', import.meta.url)
const sources = fileURLToPath(new URL('../src', import.meta.url))

function buildIsCurrent() {
  if (!existsSync(compiled)) return false
  const builtAt = statSync(compiled).mtimeMs
  return readdirSync(sources, { recursive: true }).every(
    (file) => statSync(`${sources}/${file}`).mtimeMs <= builtAt,
  )
}

if (!process.env.MSP_RECON_FROM_SOURCE && buildIsCurrent()) {
  await import(compiled.href)
} else {
  const { setFlagsFromString } = await import('node:v8')
  // The same V8 setting as src/runtime-flags.ts, applied before the application loads.
  setFlagsFromString('--optimize-for-size')
  const { register } = await import('tsx/esm/api')
  register()
  const { main } = await import('../src/cli/main.ts')
  process.exitCode = await main(process.argv)
}
