/** Display formats for money, counts and times, fixed to en-US so screenshots stay stable. */

// NOTE: the API sends amounts without a currency; the UI assumes US dollars.
const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const integer = new Intl.NumberFormat('en-US')
const dateTime = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** Formats an amount of money, e.g. `$1,234.50`. */
export function formatMoney(amount: number): string {
  return currency.format(amount)
}

/** Formats a count with thousands separators. */
export function formatCount(value: number): string {
  return integer.format(value)
}

/** Formats a difference with its sign, e.g. `+3` or `-2`. */
export function formatDelta(value: number): string {
  return value > 0 ? `+${integer.format(value)}` : integer.format(value)
}

const monthDayTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** Formats an ISO 8601 time compactly for tables: the year only when it is not this year. */
export function formatShortTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const thisYear = date.getFullYear() === new Date().getFullYear()
  return thisYear ? monthDayTime.format(date) : dateTime.format(date)
}

/** Formats an ISO 8601 time in the browser's time zone; a dash for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}
