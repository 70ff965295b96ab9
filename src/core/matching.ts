/** Account matching: exact auto-mapping of organizations to companies, and ranked suggestions. */
import { distance } from 'fastest-levenshtein'
import { AppError } from '../errors.ts'
import type { AccountMapping, PsaCompany, VendorOrganization } from './types.ts'

/** A PSA company proposed for an unmapped organization, with a `score` of 0..1 (2 decimals). */
export interface Suggestion {
  companyId: number
  companyName: string
  score: number
}

/** Lowest score a suggestion may have. */
export const MIN_SUGGESTION_SCORE = 0.6

/** Trims, collapses internal whitespace and lower-cases a name, independent of the locale. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Groups items by normalized name, skipping blank names. */
function groupByName<T extends { name: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = normalizeName(item.name)
    if (key === '') continue
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

/**
 * Maps each organization to the company of the same normalized name. Skips organizations and
 * companies that `existing` already maps, and any name that two organizations or two
 * companies share, mapped or not, because picking one of them would be a guess.
 */
export function autoMatchAccounts(
  orgs: VendorOrganization[],
  companies: PsaCompany[],
  existing: AccountMapping[],
): AccountMapping[] {
  const mappedOrgIds = new Set(existing.map((mapping) => mapping.organizationId))
  const mappedCompanyIds = new Set(existing.map((mapping) => mapping.companyId))
  const companiesByName = groupByName(companies)
  const matches: AccountMapping[] = []

  for (const [name, namedOrgs] of groupByName(orgs)) {
    const namedCompanies = companiesByName.get(name)
    if (namedOrgs.length !== 1 || namedCompanies?.length !== 1) continue

    const org = namedOrgs[0]!
    const company = namedCompanies[0]!
    if (mappedOrgIds.has(org.id) || mappedCompanyIds.has(company.id)) continue
    matches.push({ organizationId: org.id, companyId: company.id, matchedBy: 'exact' })
  }
  return matches
}

/**
 * Legal-form words and their canonical token. Only trailing words count as a legal form, so
 * "AB Consulting" keeps its "ab".
 */
const LEGAL_FORMS = new Map<string, string>([
  ['limited', 'ltd'],
  ['ltd', 'ltd'],
  ['incorporated', 'inc'],
  ['inc', 'inc'],
  ['corporation', 'corp'],
  ['corp', 'corp'],
  ['company', 'co'],
  ['co', 'co'],
  ['llc', 'llc'],
  ['llp', 'llp'],
  ['lp', 'lp'],
  ['plc', 'plc'],
  ['pllc', 'pllc'],
  ['pc', 'pc'],
  ['gmbh', 'gmbh'],
  ['ag', 'ag'],
  ['kg', 'kg'],
  ['pty', 'pty'],
  ['proprietary', 'pty'],
  ['bv', 'bv'],
  ['nv', 'nv'],
  ['sa', 'sa'],
  ['sarl', 'sarl'],
  ['srl', 'srl'],
  ['spa', 'spa'],
  ['ab', 'ab'],
  ['oy', 'oy'],
  ['as', 'as'],
  ['aps', 'aps'],
])

/** A name prepared for fuzzy scoring. */
interface CanonicalName {
  /** Distinct distinctive words, in order: no trailing legal form, no "the". */
  tokens: string[]
  /** The distinctive words, repeats included, joined by single spaces. */
  text: string
  /** Canonical legal-form tokens, e.g. `ltd`, `inc`. */
  legalForms: Set<string>
  /** Characters of `text` counted per bucket, see `countCharacters`. */
  characterCounts: Uint16Array
}

/** Buckets a-z, 0-9 and one for every other character. */
const CHARACTER_BUCKETS = 37

function countCharacters(text: string): Uint16Array {
  const counts = new Uint16Array(CHARACTER_BUCKETS)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 97 && code <= 122) counts[code - 97]! += 1
    else if (code >= 48 && code <= 57) counts[code - 48 + 26]! += 1
    else counts[36]! += 1
  }
  return counts
}

/**
 * Lower-cases a name, drops accents, spells "&" as "and", removes punctuation, drops "the"
 * and splits off trailing legal forms. A name made only of such words keeps them all.
 */
function canonicalize(name: string): CanonicalName {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')

  const tokens = words.filter((word) => word !== 'the')
  const legalForms = new Set<string>()
  while (tokens.length > 1 && LEGAL_FORMS.has(tokens.at(-1)!)) {
    legalForms.add(LEGAL_FORMS.get(tokens.pop()!)!)
  }
  const distinctive = tokens.length > 0 ? tokens : words
  const text = distinctive.join(' ')
  return {
    tokens: [...new Set(distinctive)],
    text,
    legalForms,
    characterCounts: countCharacters(text),
  }
}

/** Returns the Levenshtein similarity of two strings: 1 when equal, 0 when nothing matches. */
function stringSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - distance(a, b) / longest
}

/** Two different words this similar count as a partial match (harbor / harbour: 0.86). */
const NEAR_WORD_SIMILARITY = 0.8

/** Returns `word` with one character removed, for each position. */
function deletionVariants(word: string): string[] {
  const variants: string[] = []
  for (let i = 0; i < word.length; i++) variants.push(word.slice(0, i) + word.slice(i + 1))
  return variants
}

interface IndexedCompany {
  company: PsaCompany
  name: CanonicalName
  /** Vocabulary ids of `name.tokens`. */
  tokenIds: number[]
}

/**
 * Unmapped companies indexed by distinctive word. Each word is also indexed under its
 * one-character deletions (a symmetric-deletion index), so a lookup finds every word one
 * edit away without comparing every word of the vocabulary.
 * NOTE: words two edits apart reach `NEAR_WORD_SIMILARITY` from 10 characters up, but the
 * lookup finds only some of them (an adjacent swap, for one), so the others count as unequal.
 */
class CompanyIndex {
  readonly entries: IndexedCompany[] = []
  /** Entry positions per vocabulary id. */
  readonly postings: number[][] = []
  readonly #vocabulary: string[] = []
  readonly #tokenIds = new Map<string, number>()
  readonly #tokenIdsByVariant = new Map<string, number[]>()

  constructor(companies: readonly PsaCompany[]) {
    for (const company of companies) {
      const name = canonicalize(company.name)
      if (name.text === '') continue
      const tokenIds = name.tokens.map((token) => this.#intern(token))
      for (const tokenId of tokenIds) this.postings[tokenId]!.push(this.entries.length)
      this.entries.push({ company, name, tokenIds })
    }
  }

  /**
   * Returns, for each indexed word near some word of `tokens`, its similarity to each of
   * them (0 when below `NEAR_WORD_SIMILARITY`).
   */
  nearWords(tokens: readonly string[]): Map<number, number[]> {
    const near = new Map<number, number[]>()
    tokens.forEach((token, tokenIndex) => {
      for (const tokenId of this.#neighborIds(token)) {
        const similarity = this.#similarity(token, this.#vocabulary[tokenId]!)
        if (similarity === 0) continue
        let similarities = near.get(tokenId)
        if (similarities === undefined) {
          similarities = tokens.map(() => 0)
          near.set(tokenId, similarities)
        }
        similarities[tokenIndex] = similarity
      }
    })
    return near
  }

  #intern(token: string): number {
    let tokenId = this.#tokenIds.get(token)
    if (tokenId !== undefined) return tokenId

    tokenId = this.#vocabulary.length
    this.#vocabulary.push(token)
    this.#tokenIds.set(token, tokenId)
    this.postings.push([])
    for (const variant of [token, ...deletionVariants(token)]) {
      const ids = this.#tokenIdsByVariant.get(variant)
      if (ids === undefined) this.#tokenIdsByVariant.set(variant, [tokenId])
      else if (ids.at(-1) !== tokenId) ids.push(tokenId)
    }
    return tokenId
  }

  #neighborIds(token: string): Set<number> {
    const ids = new Set<number>()
    for (const variant of [token, ...deletionVariants(token)]) {
      for (const tokenId of this.#tokenIdsByVariant.get(variant) ?? []) ids.add(tokenId)
    }
    return ids
  }

  #similarity(a: string, b: string): number {
    if (a === b) return 1
    const similarity = stringSimilarity(a, b)
    return similarity >= NEAR_WORD_SIMILARITY ? similarity : 0
  }
}

/** Factor applied when both names carry a legal form and the forms differ (Ltd vs Inc). */
const LEGAL_FORM_MISMATCH = 0.95

/** Lowest unrounded score that still rounds to `MIN_SUGGESTION_SCORE`. */
const MIN_UNROUNDED_SCORE = MIN_SUGGESTION_SCORE - 0.005

function haveDifferentLegalForms(a: CanonicalName, b: CanonicalName): boolean {
  if (a.legalForms.size === 0 || b.legalForms.size === 0) return false
  for (const form of a.legalForms) if (b.legalForms.has(form)) return false
  return true
}

/**
 * Dice coefficient over word sets in which each word counts by its best similarity to a
 * word of the other name, so near-identical words count almost fully. `orgBest` is a
 * buffer with one slot per organization word.
 */
function tokenOverlap(
  orgBest: Float64Array,
  companyTokenIds: readonly number[],
  near: ReadonlyMap<number, number[]>,
): number {
  orgBest.fill(0)
  let companySum = 0
  for (const tokenId of companyTokenIds) {
    const similarities = near.get(tokenId)
    if (similarities === undefined) continue
    let best = 0
    for (let i = 0; i < orgBest.length; i++) {
      best = Math.max(best, similarities[i]!)
      orgBest[i] = Math.max(orgBest[i]!, similarities[i]!)
    }
    companySum += best
  }
  const orgSum = orgBest.reduce((sum, value) => sum + value, 0)
  return (orgSum + companySum) / (orgBest.length + companyTokenIds.length)
}

/**
 * Returns the largest edit distance between the texts that still lets the score reach the
 * suggestion minimum, given the word overlap (or an upper bound of it).
 */
function distanceBudget(overlap: number, longestText: number): number {
  // (overlap + 1 - distance / longestText) / 2 >= MIN_UNROUNDED_SCORE, solved for distance.
  return Math.floor((1 + overlap - 2 * MIN_UNROUNDED_SCORE) * longestText + 1e-9)
}

/**
 * Returns false when the character counts prove that the Levenshtein distance of two texts
 * exceeds `budget`. One edit removes at most one surplus character from each side, so the
 * distance is at least the larger surplus. This is far cheaper than the distance itself.
 */
function mayBeWithinDistance(a: CanonicalName, b: CanonicalName, budget: number): boolean {
  if (Math.abs(a.text.length - b.text.length) > budget) return false
  const countsA = a.characterCounts
  const countsB = b.characterCounts
  let surplusA = 0
  let surplusB = 0
  for (let i = 0; i < CHARACTER_BUCKETS; i++) {
    const difference = countsA[i]! - countsB[i]!
    if (difference > 0) surplusA += difference
    else surplusB -= difference
    if (surplusA > budget || surplusB > budget) return false
  }
  return true
}

/** Per-call buffers indexed by entry position, reused across organizations. */
interface Scratch {
  /** Number of the organization that last touched the entry, so buffers need no clearing. */
  stamp: Int32Array
  /** Upper bound of the sum of word similarities between the entry and the organization. */
  similaritySum: Float64Array
}

/**
 * Returns the positions of the entries that share a near word with the organization and
 * fills `scratch.similaritySum` for them. A company without a near word has a word overlap
 * of 0, so its score is at most 0.5 and it is never a candidate.
 */
function findCandidates(
  near: ReadonlyMap<number, number[]>,
  index: CompanyIndex,
  scratch: Scratch,
  stamp: number,
): number[] {
  const touched: number[] = []
  for (const [tokenId, similarities] of near) {
    // A word adds at most its best similarity on the company side and each of its
    // similarities on the organization side.
    const weight = similarities.reduce((sum, value) => sum + value, Math.max(...similarities))
    for (const position of index.postings[tokenId]!) {
      if (scratch.stamp[position] !== stamp) {
        scratch.stamp[position] = stamp
        scratch.similaritySum[position] = 0
        touched.push(position)
      }
      scratch.similaritySum[position]! += weight
    }
  }
  return touched
}

/**
 * Scores each candidate 0..1: the mean of the word overlap, which ignores word order, and
 * the Levenshtein similarity of the joined words. Cheap upper bounds skip the candidates
 * that cannot reach the suggestion minimum before any edit distance is computed.
 */
function scoreCandidates(
  org: CanonicalName,
  index: CompanyIndex,
  scratch: Scratch,
  stamp: number,
): Suggestion[] {
  const near = index.nearWords(org.tokens)
  const orgBest = new Float64Array(org.tokens.length)
  const suggestions: Suggestion[] = []

  for (const position of findCandidates(near, index, scratch, stamp)) {
    const candidate = index.entries[position]!
    const tokenCount = org.tokens.length + candidate.tokenIds.length
    const overlapBound = Math.min(1, scratch.similaritySum[position]! / tokenCount)
    const longestText = Math.max(org.text.length, candidate.name.text.length)
    if (!mayBeWithinDistance(org, candidate.name, distanceBudget(overlapBound, longestText))) {
      continue
    }

    const overlap = tokenOverlap(orgBest, candidate.tokenIds, near)
    if (!mayBeWithinDistance(org, candidate.name, distanceBudget(overlap, longestText))) continue

    let score = (overlap + stringSimilarity(org.text, candidate.name.text)) / 2
    if (haveDifferentLegalForms(org, candidate.name)) score *= LEGAL_FORM_MISMATCH
    score = Math.round(score * 100) / 100
    if (score < MIN_SUGGESTION_SCORE) continue

    const { id: companyId, name: companyName } = candidate.company
    suggestions.push({ companyId, companyName, score })
  }
  return suggestions
}

function compareSuggestions(a: Suggestion, b: Suggestion): number {
  if (a.score !== b.score) return b.score - a.score
  if (a.companyName !== b.companyName) return a.companyName < b.companyName ? -1 : 1
  return a.companyId - b.companyId
}

/**
 * Ranks unmapped companies for each organization, best first: at most `limit` per
 * organization, each scoring at least 0.6. Only companies that share a word, or a word one
 * edit away, with the organization are scored, never all pairs. The map has an entry,
 * possibly empty, for every organization given. Scores are for suggestions only and never
 * map an account on their own. Throws a `bad_request` AppError when `limit` is not >= 1.
 */
export function suggestCompanies(
  orgs: VendorOrganization[],
  companies: PsaCompany[],
  mappedCompanyIds: ReadonlySet<number>,
  limit = 3,
): Map<number, Suggestion[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new AppError(
      'bad_request',
      `Invalid suggestion limit ${limit}. Use a whole number >= 1.`,
      {
        limit,
      },
    )
  }
  const index = new CompanyIndex(companies.filter((company) => !mappedCompanyIds.has(company.id)))
  const scratch: Scratch = {
    stamp: new Int32Array(index.entries.length),
    similaritySum: new Float64Array(index.entries.length),
  }
  const suggestions = new Map<number, Suggestion[]>()

  orgs.forEach((org, orgIndex) => {
    const name = canonicalize(org.name)
    const scored = name.text === '' ? [] : scoreCandidates(name, index, scratch, orgIndex + 1)
    suggestions.set(org.id, scored.sort(compareSuggestions).slice(0, limit))
  })
  return suggestions
}
