/**
 * Evaluation of Autotask REST query filters: `{"op", "field", "value"}` conditions and
 * `{"op": "and" | "or", "items": [...]}` groups. Top-level conditions combine with `and`.
 */

/** One condition or group of a query's `filter` array. */
export interface FilterExpression {
  op?: unknown
  field?: unknown
  value?: unknown
  items?: unknown
  udf?: unknown
}

/** A filter the fake cannot evaluate; the server responds with an error status. */
export class FilterError extends Error {}

// NOTE: no documented limit on `in` and `notIn` lists was found. A limit of 500 keeps callers
// batching, which the real API's hourly request budget calls for anyway.
const MAX_LIST_VALUES = 500
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/
const CONDITIONS = new Set([
  'eq',
  'noteq',
  'gt',
  'gte',
  'lt',
  'lte',
  'beginswith',
  'endswith',
  'contains',
  'exist',
  'notexist',
  'in',
  'notin',
])

/**
 * Checks a filter against an entity's field names (case-insensitive, as Autotask treats
 * them) and returns the compiled predicate. Throws {@link FilterError} for a missing or
 * malformed filter.
 */
export function compileFilter(
  filter: unknown,
  fields: readonly string[],
): (record: Record<string, unknown>) => boolean {
  if (!Array.isArray(filter) || filter.length === 0) {
    throw new FilterError('A query needs a non-empty "filter" array.')
  }
  const known = new Map(fields.map((field) => [field.toLowerCase(), field]))
  const predicates = filter.map((expression) => compileExpression(expression, known))
  return (record) => predicates.every((predicate) => predicate(record))
}

function compileExpression(
  expression: unknown,
  known: Map<string, string>,
): (record: Record<string, unknown>) => boolean {
  if (expression === null || typeof expression !== 'object') {
    throw new FilterError('Each filter entry must be an object with "op".')
  }
  const { op, field, value, items } = expression as FilterExpression
  const operator = typeof op === 'string' ? op.toLowerCase() : ''
  if (operator === 'and' || operator === 'or') return compileGroup(operator, items, known)
  if (!CONDITIONS.has(operator)) throw new FilterError(`Unknown filter operator "${String(op)}".`)
  if (typeof field !== 'string' || !known.has(field.toLowerCase())) {
    throw new FilterError(`Unknown field "${String(field)}" in the query filter.`)
  }
  const name = known.get(field.toLowerCase()) as string
  if (operator === 'in' || operator === 'notin') checkList(op as string, value)
  return (record) => evaluate(operator, record[name], value)
}

function compileGroup(
  operator: 'and' | 'or',
  items: unknown,
  known: Map<string, string>,
): (record: Record<string, unknown>) => boolean {
  if (!Array.isArray(items) || items.length === 0) {
    throw new FilterError(`The "${operator}" group needs a non-empty "items" array.`)
  }
  const predicates = items.map((item) => compileExpression(item, known))
  return operator === 'and'
    ? (record) => predicates.every((predicate) => predicate(record))
    : (record) => predicates.some((predicate) => predicate(record))
}

function checkList(op: string, value: unknown): void {
  if (!Array.isArray(value)) throw new FilterError(`The "${op}" operator needs an array value.`)
  if (value.length > MAX_LIST_VALUES) {
    throw new FilterError(`The "${op}" operator accepts at most ${MAX_LIST_VALUES} values.`)
  }
}

function evaluate(operator: string, actual: unknown, expected: unknown): boolean {
  switch (operator) {
    case 'exist':
      return actual !== null && actual !== undefined && actual !== ''
    case 'notexist':
      return actual === null || actual === undefined || actual === ''
    case 'in':
      return (expected as unknown[]).some((item) => compare(actual, item) === 0)
    case 'notin':
      return !(expected as unknown[]).some((item) => compare(actual, item) === 0)
    case 'beginswith':
      return text(actual).startsWith(text(expected))
    case 'endswith':
      return text(actual).endsWith(text(expected))
    case 'contains':
      return text(actual).includes(text(expected))
    default:
      return matchesOrder(operator, compare(actual, expected))
  }
}

function matchesOrder(operator: string, order: number): boolean {
  if (operator === 'noteq') return order !== 0
  if (Number.isNaN(order)) return false
  if (operator === 'eq') return order === 0
  if (operator === 'gt') return order > 0
  if (operator === 'gte') return order >= 0
  if (operator === 'lt') return order < 0
  return order <= 0
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).toLowerCase()
}

/** Orders a record value against a filter value; NaN when they cannot be compared. */
function compare(actual: unknown, expected: unknown): number {
  if (actual === null || actual === undefined) {
    return expected === null || expected === undefined ? 0 : Number.NaN
  }
  if (typeof actual === 'number') return actual - Number(expected)
  if (typeof actual === 'boolean') {
    const expectedFlag = expected === true || String(expected).toLowerCase() === 'true'
    return actual === expectedFlag ? 0 : Number.NaN
  }
  const left = String(actual)
  const right = String(expected)
  if (DATE_TIME.test(left) && DATE_TIME.test(right)) return toTime(left) - toTime(right)
  // Autotask compares text without regard to case, like its SQL Server collation.
  return left.toLowerCase().localeCompare(right.toLowerCase())
}

/** Reads an Autotask date or date-time; one without a zone is taken as UTC. */
function toTime(value: string): number {
  if (value.length === 10) return Date.parse(`${value}T00:00:00Z`)
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`)
}
