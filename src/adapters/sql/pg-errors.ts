import { AppError, BackendUnavailableError } from '../../domain/errors.js'

/**
 * SQLSTATE classes that mean "the database cannot serve now", not "this statement is wrong":
 * 08 connection exception, 53 insufficient resources, 57 operator intervention (incl. statement timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/

/**
 * Runs one store operation and turns connection failures into `BackendUnavailableError` (503) tagged with
 * the store's name. Errors of the statement itself (a bug) pass through and surface as a 500.
 */
export async function pgCall<T>(store: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AppError) throw err
    const e = err as { name?: string; code?: string }
    if (e.name === 'PostgresError' && e.code && !UNAVAILABLE_SQLSTATE.test(e.code)) throw err
    throw new BackendUnavailableError(`[pg-${store}] database unavailable`, err)
  }
}
