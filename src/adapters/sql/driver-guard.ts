/**
 * postgres.js 3.4.9 drops the promise of the array-types query it runs on every new connection
 * (`fetchArrayTypes()` in `ReadyForQuery`): when a connection dies during that query — PostgreSQL
 * restarting, a network cut, or a pool replacing hung connections — the rejection is unhandled and Node
 * exits. Open upstream: porsager/postgres#1192, #1205, #1223. The user's query on that connection fails
 * on its own (and is answered 503); only this orphan rejection is absorbed here. Anything else still
 * ends the process as before (rethrown as an uncaught exception).
 */
let installed = false

function isTypeFetchOrphan(reason: unknown): boolean {
  const query = (reason as { query?: unknown } | null)?.query
  return typeof query === 'string' && query.includes('pg_catalog.pg_type') && query.includes('typarray')
}

export function guardDriverRejections(): void {
  if (installed) return
  installed = true
  process.on('unhandledRejection', (reason) => {
    if (isTypeFetchOrphan(reason)) return
    throw reason
  })
}
