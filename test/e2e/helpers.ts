/** Browser helpers for the end-to-end tests: screenshots, drags and API reads. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'

const SCREENSHOT_DIR = new URL('../../test-results/e2e/', import.meta.url).pathname

/** Saves a full-window screenshot as `test-results/e2e/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

async function centerOf(locator: Locator): Promise<{ x: number; y: number; top: number }> {
  const box = await locator.boundingBox()
  if (!box) throw new Error(`${locator} is not visible, so it cannot be dragged or dropped on`)
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, top: box.y }
}

/**
 * Drags `source` onto `target` with the mouse in small steps, as dnd-kit's pointer sensor
 * needs: it starts a drag only after the pointer moved a few pixels while pressed. The card
 * is grabbed near its top edge, where its title is, away from the inputs inside it.
 */
export async function dragWithMouse(page: Page, source: Locator, target: Locator) {
  await source.scrollIntoViewIfNeeded()
  await target.scrollIntoViewIfNeeded()
  const from = await centerOf(source)
  const to = await centerOf(target)
  const grabY = from.top + 14
  await page.mouse.move(from.x, grabY)
  await page.mouse.down()
  await page.mouse.move(from.x + 12, grabY + 4, { steps: 4 })
  await page.mouse.move(to.x, to.y, { steps: 15 })
  await page.mouse.move(to.x + 2, to.y + 2, { steps: 2 })
  await page.mouse.up()
}

/** Picks `option` in the Mantine select `input`; its options render in a portal. */
export async function chooseOption(page: Page, input: Locator, option: string) {
  await input.click()
  await page.getByRole('option', { name: option, exact: true }).click()
}

/** Reads an API route with the browser's session cookie. */
export async function readApi<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path)
  if (!response.ok()) throw new Error(`GET ${path} failed with HTTP ${response.status()}`)
  return (await response.json()) as T
}

/**
 * Sends a state-changing API request with the browser's session cookie and its CSRF token,
 * and returns the parsed body (undefined for 204).
 */
export async function writeApi<T>(
  page: Page,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const { csrfToken } = await readApi<{ csrfToken: string | null }>(page, '/api/auth/session')
  if (!csrfToken) throw new Error(`${method} ${path} needs a signed-in session, and none exists`)
  const response = await page.request.fetch(path, {
    method,
    headers: { 'x-csrf-token': csrfToken },
    data: body,
  })
  if (!response.ok()) {
    throw new Error(
      `${method} ${path} failed with HTTP ${response.status()}: ${await response.text()}`,
    )
  }
  return (response.status() === 204 ? undefined : await response.json()) as T
}
