/**
 * A parser and evaluator for the ConnectWise PSA `conditions` query language, e.g.
 * `company/id=250 and (agreementStatus="Active" or name like "Managed%")`.
 *
 * Supported: field paths with `/`, the operators `= != < <= > >= like contains in` (each of
 * the last three may follow `not`), `and`, `or`, `not`, parentheses, double-quoted strings,
 * numbers, `true`, `false`, `null` and datetimes in `[...]`. String comparisons ignore case,
 * like the SQL Server collation behind ConnectWise PSA.
 */

/** A `conditions` string that does not parse or names an unknown field. */
export class ConditionsError extends Error {
  override name = 'ConditionsError'
}

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number }

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'contains' | 'in'

/** A parsed condition tree. */
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: string[]; operator: Operator; negated: boolean; values: Literal[] }

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'symbol'; text: string }
  | { kind: 'literal'; literal: Literal }

// One token after optional whitespace. The capture groups, in order: a quoted string, the
// inside of a [datetime], a number, a word or field path, and an operator or punctuation.
const TOKEN = new RegExp(
  [
    '\\s*(?:("(?:[^"\\\\]|\\\\.)*")',
    '\\[([^\\]]*)\\]',
    '(-?\\d+(?:\\.\\d+)?)(?![\\w/])',
    '([A-Za-z_]\\w*(?:/[A-Za-z_]\\w*)*)',
    '(!=|<=|>=|=|<|>|\\(|\\)|,))',
  ].join('|'),
  'y',
)

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break
    const start = TOKEN.lastIndex
    const match = TOKEN.exec(text)
    if (match === null) {
      throw new ConditionsError(
        `Unexpected text at position ${start}: ${text.slice(start, start + 20)}`,
      )
    }
    tokens.push(toToken(match))
  }
  return tokens
}

function toToken(match: RegExpExecArray): Token {
  const [, quoted, datetime, number, word, symbol] = match
  if (quoted !== undefined) {
    return {
      kind: 'literal',
      literal: { kind: 'string', value: quoted.slice(1, -1).replace(/\\(.)/g, '$1') },
    }
  }
  if (datetime !== undefined) {
    const time = Date.parse(datetime)
    if (Number.isNaN(time)) throw new ConditionsError(`Invalid datetime [${datetime}]`)
    return { kind: 'literal', literal: { kind: 'datetime', value: time } }
  }
  if (number !== undefined)
    return { kind: 'literal', literal: { kind: 'number', value: Number(number) } }
  if (word !== undefined) return wordToken(word)
  return { kind: 'symbol', text: symbol as string }
}

function wordToken(word: string): Token {
  const lower = word.toLowerCase()
  if (lower === 'true' || lower === 'false') {
    return { kind: 'literal', literal: { kind: 'boolean', value: lower === 'true' } }
  }
  if (lower === 'null') return { kind: 'literal', literal: { kind: 'null' } }
  return { kind: 'word', text: word }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'contains', 'in'])
const OPERATORS: readonly string[] = ['=', '!=', '<', '<=', '>', '>=', 'like', 'contains', 'in']
const NEGATABLE_OPERATORS: readonly string[] = ['like', 'contains', 'in']

class Parser {
  #tokens: Token[]
  #position = 0

  constructor(tokens: Token[]) {
    this.#tokens = tokens
  }

  parse(): Condition {
    const condition = this.#or()
    const rest = this.#tokens[this.#position]
    if (rest !== undefined) throw new ConditionsError(`Unexpected ${describe(rest)}`)
    return condition
  }

  #or(): Condition {
    let left = this.#and()
    while (this.#acceptWord('or')) left = { kind: 'or', left, right: this.#and() }
    return left
  }

  #and(): Condition {
    let left = this.#unary()
    while (this.#acceptWord('and')) left = { kind: 'and', left, right: this.#unary() }
    return left
  }

  #unary(): Condition {
    if (this.#acceptWord('not')) return { kind: 'not', operand: this.#unary() }
    if (this.#acceptSymbol('(')) {
      const inner = this.#or()
      this.#expectSymbol(')')
      return inner
    }
    return this.#comparison()
  }

  #comparison(): Condition {
    const token = this.#take()
    if (token?.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase())) {
      throw new ConditionsError(`Expected a field name, found ${describe(token)}`)
    }
    const field = token.text.split('/')
    const negated = this.#acceptWord('not')
    const operator = this.#operator(negated)
    const values = operator === 'in' ? this.#list() : [this.#literal()]
    return { kind: 'compare', field, operator, negated, values }
  }

  #operator(negated: boolean): Operator {
    const token = this.#take()
    let text = ''
    if (token?.kind === 'word') text = token.text.toLowerCase()
    if (token?.kind === 'symbol') text = token.text
    const allowed = negated ? NEGATABLE_OPERATORS : OPERATORS
    if (!allowed.includes(text)) {
      throw new ConditionsError(`Expected an operator, found ${describe(token)}`)
    }
    return text as Operator
  }

  #list(): Literal[] {
    this.#expectSymbol('(')
    const values = [this.#literal()]
    while (this.#acceptSymbol(',')) values.push(this.#literal())
    this.#expectSymbol(')')
    return values
  }

  #literal(): Literal {
    const token = this.#take()
    if (token?.kind !== 'literal')
      throw new ConditionsError(`Expected a value, found ${describe(token)}`)
    return token.literal
  }

  #take(): Token | undefined {
    return this.#tokens[this.#position++]
  }

  #acceptWord(word: string): boolean {
    const token = this.#tokens[this.#position]
    if (token?.kind !== 'word' || token.text.toLowerCase() !== word) return false
    this.#position++
    return true
  }

  #acceptSymbol(symbol: string): boolean {
    const token = this.#tokens[this.#position]
    if (token?.kind !== 'symbol' || token.text !== symbol) return false
    this.#position++
    return true
  }

  #expectSymbol(symbol: string): void {
    if (!this.#acceptSymbol(symbol)) {
      throw new ConditionsError(
        `Expected "${symbol}", found ${describe(this.#tokens[this.#position])}`,
      )
    }
  }
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end of the conditions'
  if (token.kind === 'literal') return `the value ${JSON.stringify(token.literal)}`
  return `"${token.text}"`
}

/** Parses `text`. Throws {@link ConditionsError} on a syntax error. */
export function parseConditions(text: string): Condition {
  return new Parser(tokenize(text)).parse()
}

/** Throws {@link ConditionsError} when the condition names a field outside `knownFields`. */
export function checkFields(condition: Condition, knownFields: ReadonlySet<string>): void {
  if (condition.kind === 'compare') {
    const path = condition.field.join('/')
    if (!knownFields.has(path.toLowerCase())) throw new ConditionsError(`Unknown field ${path}`)
  } else if (condition.kind === 'not') {
    checkFields(condition.operand, knownFields)
  } else {
    checkFields(condition.left, knownFields)
    checkFields(condition.right, knownFields)
  }
}

/** Lists the lower-cased `a/b` paths of a record, so conditions can be checked against them. */
export function fieldPaths(record: object, prefix = ''): string[] {
  const paths: string[] = []
  for (const [key, value] of Object.entries(record)) {
    const path = `${prefix}${key.toLowerCase()}`
    paths.push(path)
    const nested = Array.isArray(value) ? value[0] : value
    if (nested !== null && typeof nested === 'object') paths.push(...fieldPaths(nested, `${path}/`))
  }
  return paths
}

/** Evaluates a parsed condition against one record. */
export function matches(condition: Condition, record: object): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(condition.left, record) && matches(condition.right, record)
    case 'or':
      return matches(condition.left, record) || matches(condition.right, record)
    case 'not':
      return !matches(condition.operand, record)
    case 'compare': {
      // A path through an array (e.g. `types/name`) matches when any element matches.
      const found = resolve(record, condition.field).some((value) => compare(value, condition))
      return condition.negated ? !found : found
    }
  }
}

function resolve(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value]
  if (Array.isArray(value)) return value.flatMap((element) => resolve(element, path))
  if (value === null || typeof value !== 'object') return [null]
  const [head, ...rest] = path
  const key = Object.keys(value).find((name) => name.toLowerCase() === head?.toLowerCase())
  return resolve(key === undefined ? null : (value as Record<string, unknown>)[key], rest)
}

function compare(actual: unknown, condition: Extract<Condition, { kind: 'compare' }>): boolean {
  const [first] = condition.values
  if (first === undefined) return false
  switch (condition.operator) {
    case 'in':
      return condition.values.some((literal) => order(actual, literal) === 0)
    case 'like':
      return (
        typeof actual === 'string' &&
        first.kind === 'string' &&
        likePattern(first.value).test(actual)
      )
    case 'contains':
      return (
        typeof actual === 'string' &&
        first.kind === 'string' &&
        actual.toLowerCase().includes(first.value.toLowerCase())
      )
    default:
      return holds(condition.operator, order(actual, first))
  }
}

function holds(operator: Operator, ordering: number | undefined): boolean {
  if (operator === '!=') return ordering !== 0
  if (ordering === undefined) return false
  if (operator === '=') return ordering === 0
  if (operator === '<') return ordering < 0
  if (operator === '<=') return ordering <= 0
  if (operator === '>') return ordering > 0
  return ordering >= 0
}

/**
 * Compares a record value with a literal. Returns a negative number, 0 or a positive number,
 * or undefined when the two cannot be compared.
 */
function order(actual: unknown, literal: Literal): number | undefined {
  if (literal.kind === 'null') return actual === null || actual === undefined ? 0 : undefined
  if (actual === null || actual === undefined) return undefined
  if (literal.kind === 'datetime') {
    const time = typeof actual === 'string' ? Date.parse(actual) : Number.NaN
    return Number.isNaN(time) ? undefined : Math.sign(time - literal.value)
  }
  if (literal.kind === 'number')
    return typeof actual === 'number' ? Math.sign(actual - literal.value) : undefined
  if (literal.kind === 'boolean') return actual === literal.value ? 0 : undefined
  if (typeof actual !== 'string') return undefined
  return actual.toLowerCase().localeCompare(literal.value.toLowerCase())
}

/** Translates a SQL `like` pattern (`%` any run, `_` one character) into a RegExp. */
function likePattern(pattern: string): RegExp {
  let body = ''
  for (const char of pattern) {
    if (char === '%') body += '.*'
    else if (char === '_') body += '.'
    else body += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${body}$`, 'is')
}
