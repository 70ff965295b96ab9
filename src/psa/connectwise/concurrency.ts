/**
 * Maps `items` through `task` with at most `limit` tasks running at once and keeps the
 * input order. After the first failure no new task starts, and the promise rejects with
 * that failure once the running tasks settle.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined

  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const index = next++
      try {
        results[index] = await task(items[index] as T)
      } catch (error) {
        failure ??= { error }
      }
    }
  }

  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker)
  await Promise.all(workers)
  if (failure !== undefined) throw failure.error
  return results
}
