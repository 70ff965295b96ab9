/** Filtering, ordering and screen reader text of the account mapping board. */
import type { Announcements } from '@dnd-kit/core'
import { useMemo } from 'react'
import type { AccountsView, CompanyRow, OrganizationRow } from '../api/types.ts'
import { type OrganizationState, organizationState } from './organization-card.tsx'

/** The organizations the board shows: all of them, or those in one mapping state. */
export type OrganizationFilter = 'all' | OrganizationState

/** Instructions that screen readers announce for a focused organization grip. */
export const SCREEN_READER_INSTRUCTIONS =
  'To map an organization, focus its grip and press Space or Enter to pick it up. Use the ' +
  'arrow keys to move between companies, then press Space or Enter to drop it on one. ' +
  'Press Escape to cancel.'

/** Returns true when `org` passes the filter; `unmapped` includes the suggested ones. */
export function matchesFilter(org: OrganizationRow, filter: OrganizationFilter): boolean {
  if (filter === 'all') return true
  const state = organizationState(org)
  return filter === 'unmapped' ? state !== 'mapped' : state === filter
}

/** Returns true when `name` contains the search text, ignoring case. */
export function includesText(name: string, search: string): boolean {
  return name.toLowerCase().includes(search.trim().toLowerCase())
}

const STATE_ORDER: Record<OrganizationState, number> = { suggested: 0, unmapped: 1, mapped: 2 }

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' })

/** Orders organizations that need a decision first: suggested, unmapped, then mapped. */
export function sortOrganizations(organizations: OrganizationRow[]): OrganizationRow[] {
  return [...organizations].sort(
    (a, b) =>
      STATE_ORDER[organizationState(a)] - STATE_ORDER[organizationState(b)] ||
      byName(a.organizationName, b.organizationName),
  )
}

/** Orders free companies, the possible drop targets, before mapped ones. */
export function sortCompanies(companies: CompanyRow[]): CompanyRow[] {
  return [...companies].sort(
    (a, b) =>
      Number(a.mappedOrganizationId !== null) - Number(b.mappedOrganizationId !== null) ||
      byName(a.name, b.name),
  )
}

/** Reads a numeric id from a draggable's or droppable's data; null when absent. */
export function idOf(data: { current?: Record<string, unknown> | undefined }, key: string) {
  const value = data.current?.[key]
  return typeof value === 'number' ? value : null
}

/** Builds the screen reader announcements of an account drag with the names involved. */
export function useAccountAnnouncements(view: AccountsView | undefined): Announcements {
  return useMemo(() => {
    const orgName = (id: unknown) =>
      view?.organizations.find((org) => `org-${org.organizationId}` === id)?.organizationName ??
      'the organization'
    const companyName = (id: unknown) =>
      view?.companies.find((company) => `company-${company.id}` === id)?.name ?? 'a company'
    return {
      onDragStart: ({ active }) => `Picked up ${orgName(active.id)}.`,
      onDragOver: ({ active, over }) =>
        over
          ? `${orgName(active.id)} is over ${companyName(over.id)}.`
          : `${orgName(active.id)} is over no company.`,
      onDragEnd: ({ active, over }) =>
        over
          ? `${orgName(active.id)} mapped to ${companyName(over.id)}.`
          : `${orgName(active.id)} dropped outside the companies; nothing changed.`,
      onDragCancel: ({ active }) => `Cancelled. ${orgName(active.id)} is unchanged.`,
    }
  }, [view])
}
