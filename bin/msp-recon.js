#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so an install needs no separate build step.
// `npm run build` produces the compiled CLI at dist/src/cli/entry.js for deployments.
import { setFlagsFromString } from 'node:v8'
import { register } from 'tsx/esm/api'

// The same V8 setting as src/runtime-flags.ts, applied before the application loads.
setFlagsFromString('--optimize-for-size')
register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv)
