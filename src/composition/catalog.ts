import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { PgPools } from './pools.js'
import { createPgCatalog } from '../adapters/sql/catalog.js'
import { createMemoryCatalog } from '../adapters/memory/catalog.js'
import { readShippedReference } from '../adapters/reference/files.js'
import { parseReference } from '../use-cases/import/reference.js'

export interface CatalogOptions {
  /** `CATALOG_SEED`: an empty PostgreSQL catalog is filled with the shipped reference at start. */
  seed: boolean
}

/**
 * PostgreSQL catalog on its pools (reads, imports) when there is a database (seeded with the shipped SNI 2025
 * reference when empty); else the shipped reference in memory — the embedded default.
 */
export async function createCatalog(pools: PgPools | undefined, logger: Logger, options: CatalogOptions): Promise<CatalogStore> {
  if (!pools) {
    const started = performance.now()
    const jobs = parseReference(readShippedReference())
    logger.info('catalog: in memory with the shipped SNI 2025 reference (set DATABASE_URL for a durable catalog)', {
      jobs: jobs.length,
      loadMs: Math.round(performance.now() - started),
    })
    return createMemoryCatalog({ jobs })
  }
  const catalog = await createPgCatalog(pools.catalog, { imports: pools.imports })
  if (options.seed) await seedIfEmpty(catalog, logger)
  return catalog
}

/**
 * Several instances may start at once: each may see the catalog empty and import, but imports are
 * serialised by the store (an advisory transaction lock) and idempotent, so the second changes nothing.
 * A database that cannot be read or written at start is reported, not fatal: the API serves what it can.
 */
async function seedIfEmpty(catalog: CatalogStore, logger: Logger): Promise<void> {
  try {
    const sources = await catalog.sources()
    if (sources.some((s) => s.jobs > 0)) return
    const started = performance.now()
    const summary = await catalog.upsertJobs(parseReference(readShippedReference()))
    logger.info('catalog was empty: seeded with the shipped SNI 2025 reference (CATALOG_SEED=false skips this)', {
      ...summary,
      ms: Math.round(performance.now() - started),
    })
  } catch (err) {
    logger.warn('catalog could not be seeded at start', { err: (err as Error).message })
  }
}

/**
 * One start-up line saying what the catalog holds (an empty catalog on a fresh database is otherwise
 * silent until the first search finds nothing). Bounded: a database that does not answer delays start-up
 * by at most `timeoutMs`, and is reported, not fatal.
 */
export async function logCatalogContents(catalog: CatalogStore, logger: Logger, timeoutMs = 2_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))
  try {
    const [sources, generation] = await Promise.race([Promise.all([catalog.sources(), catalog.generation()]), timeout])
    const jobs = sources.reduce((n, s) => n + s.jobs, 0)
    // info, not warn: an empty catalog can be intended (CATALOG_SEED=false before an import).
    if (jobs === 0) logger.info('catalog is empty: searches will find nothing until jobs are imported (npm run cli -- catalog import <file>)', { jobs, generation })
    else logger.info('catalog loaded', { jobs, sources: sources.map((s) => `${s.source} (${s.jobs})`), generation })
  } catch (err) {
    logger.warn('catalog could not be read at start', { err: (err as Error).message })
  } finally {
    clearTimeout(timer)
  }
}
