import { stringify } from 'csv-stringify/sync'

const MONEY = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

/** Formats an amount as US dollars, e.g. `$1,234.50` or `-$80.00`. */
export function money(amount: number): string {
  return MONEY.format(amount)
}

/** Formats a signed whole number with an explicit plus, e.g. `+3`, `-2`, `0`. */
export function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value)
}

/** Renders rows as a left-aligned text table with a header and a rule. */
export function table(headers: string[], rows: string[][], numericColumns: number[] = []): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const align = (cells: string[]) =>
    cells
      .map((cell, column) =>
        numericColumns.includes(column)
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [align(headers), rule, ...rows.map(align)].join('\n')
}

/** Renders records as RFC 4180 CSV with a header row. */
export function csv(headers: string[], rows: (string | number | null)[][]): string {
  return stringify([headers, ...rows.map((row) => row.map((cell) => cell ?? ''))])
}

/** Prints JSON with two-space indentation and a final newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
