import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Returns the nearest folder at or above `start` that contains a package.json. */
export function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder
    if (dirname(folder) === folder) return start
  }
}

/** The msp-recon checkout or package folder, whether this runs from source or from dist/. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)))

/** The built web app that the server serves. */
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist')
