/** Composes unique client names and the PSA-side spellings of them. */
import {
  CORPORATE_SUFFIXES,
  ORGANIZATION_TEMPLATES,
  PLACE_ENDS,
  PLACE_STARTS,
  SURNAMES,
  TOWNS,
} from './names.ts'
import type { Random } from './random.ts'

/** Returns the key that exact name matching compares: trimmed, whitespace collapsed, lowercase. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

function composePlace(random: Random): string {
  const start = random.pick(PLACE_STARTS)
  let end = random.pick(PLACE_ENDS)
  while (end.toLowerCase().includes(start.toLowerCase())) end = random.pick(PLACE_ENDS)
  const joined = end[0] === end[0]?.toLowerCase()
  return joined ? `${start}${end}` : `${start} ${end}`
}

function composeName(random: Random): string {
  const surname = random.pick(SURNAMES)
  let surname2 = random.pick(SURNAMES)
  while (surname2 === surname) surname2 = random.pick(SURNAMES)
  return random
    .pick(ORGANIZATION_TEMPLATES)
    .replace('{place}', composePlace(random))
    .replace('{surname}', surname)
    .replace('{surname2}', surname2)
    .replace('{town}', random.pick(TOWNS))
    .replace('{corp}', random.pick(CORPORATE_SUFFIXES))
}

const MAX_ATTEMPTS = 40

/**
 * Composes a client name whose normalized form is not in `takenNames`, and adds it there. After
 * many collisions (large worlds) a town and then a number make the name unique.
 */
export function composeUniqueName(random: Random, takenNames: Set<string>): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const name = composeName(random)
    if (claim(name, takenNames)) return name
  }
  const base = `${composeName(random)} of ${random.pick(TOWNS)}`
  for (let number = 1; ; number++) {
    const name = number === 1 ? base : `${base} ${number}`
    if (claim(name, takenNames)) return name
  }
}

function claim(name: string, takenNames: Set<string>): boolean {
  const key = normalizeName(name)
  if (takenNames.has(key)) return false
  takenNames.add(key)
  return true
}

/** Spells a name differently in case or spacing only, so it still matches exactly. */
export function respellName(random: Random, name: string): string {
  const style = random.int(0, 3)
  if (style === 0) return name.toUpperCase()
  if (style === 1) return name.toLowerCase()
  if (style === 2) return ` ${name}  `
  return name.replace(' ', '  ')
}

type Rewrite = (name: string) => string | null

const replaceOnce =
  (pattern: RegExp, replacement: string): Rewrite =>
  (name) =>
    pattern.test(name) ? name.replace(pattern, replacement) : null

/** Rewrites that keep a name recognizable to a person but break an exact match. */
const NEAR_MISS_REWRITES: readonly Rewrite[] = [
  replaceOnce(/ & /, ' and '),
  replaceOnce(/ and /, ' & '),
  replaceOnce(/ Ltd$/, ' Limited'),
  replaceOnce(/ Limited$/, ' Ltd'),
  replaceOnce(/, Inc\.$/, ' Inc'),
  replaceOnce(/ Inc\.$/, ', Inc.'),
  replaceOnce(/ LLC$/, ', L.L.C.'),
  replaceOnce(/ Co\.$/, ' Company'),
  replaceOnce(/ Corp\.$/, ' Corporation'),
  replaceOnce(/, P\.C\.$/, ' PC'),
  replaceOnce(/ Company$/, ' Co.'),
  replaceOnce(/ Group/, ''),
  replaceOnce(/,? (LLC|Inc\.|Ltd|Limited|Co\.|Corp\.)$/, ''),
  replaceOnce(/^City of (.+)$/, '$1 City'),
  dropSecondWord,
  (name) => `The ${name}`,
]

const CONJUNCTIONS = new Set(['&', 'and'])

function dropSecondWord(name: string): string | null {
  const words = name.split(' ')
  if (words.length < 3) return null
  if (CONJUNCTIONS.has(words[1] as string) || CONJUNCTIONS.has(words[2] as string)) return null
  return [words[0], ...words.slice(2)].join(' ')
}

/**
 * Returns a near miss of `name` ("Contoso Ltd" for "Contoso Limited", "&" for "and", a
 * dropped word) whose normalized form is not in `takenNames`, and adds it there.
 */
export function nearMissName(random: Random, name: string, takenNames: Set<string>): string {
  const candidates = NEAR_MISS_REWRITES.map((rewrite) => rewrite(name)).filter(
    (candidate): candidate is string => candidate !== null,
  )
  const preferred = candidates.slice(0, -1)
  random.shuffle(preferred)
  for (const candidate of [...preferred, ...candidates.slice(-1)]) {
    if (claim(candidate, takenNames)) return candidate
  }
  return composeUniqueName(random, takenNames)
}
