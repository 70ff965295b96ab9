/** Entry point of the compiled CLI (`node dist/src/cli/entry.js`). */
import '../runtime-flags.ts'
import { main } from './main.ts'

process.exitCode = await main(process.argv)
