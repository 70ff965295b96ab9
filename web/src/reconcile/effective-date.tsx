/** The effective date of Autotask unit changes: its default, its input and its note. */
import { TextInput } from '@mantine/core'

const dayFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
})

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** Returns the first day of the month after `today` in the browser's time zone, `YYYY-MM-DD`. */
export function firstOfNextMonth(today: Date = new Date()): string {
  const next = new Date(today.getFullYear(), today.getMonth() + 1, 1)
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`
}

/** Formats a `YYYY-MM-DD` day as e.g. `July 1, 2026`, without a time zone shift. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number)
  if (year === undefined || month === undefined || date === undefined) return day
  return dayFormat.format(new Date(year, month - 1, date))
}

/** Returns the day sent with approvals: the input's day, or the first of next month if empty. */
export function effectiveDay(value: string): string {
  return value === '' ? firstOfNextMonth() : value
}

/** Returns the note naming the day from which Autotask bills the approved units. */
export function effectiveDateNote(value: string): string {
  return `Approved units take effect in Autotask on ${formatDay(effectiveDay(value))}.`
}

/** Renders the date input for the day Autotask starts billing approved units. */
export function EffectiveDateInput({
  value,
  onChange,
}: {
  value: string
  onChange: (value: string) => void
}) {
  return (
    <TextInput
      type="date"
      label="Effective date"
      description={effectiveDateNote(value)}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      w={260}
      data-testid="effective-date"
    />
  )
}
