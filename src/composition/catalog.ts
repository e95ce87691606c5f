import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { Sql } from '../adapters/sql/client.js'
import { createPgCatalog } from '../adapters/sql/catalog.js'
import { createMemoryCatalog } from '../adapters/memory/catalog.js'
import { SAMPLE_JOBS } from '../adapters/memory/sample-catalog.js'

/** PostgreSQL catalog on the shared pool when there is a database; else the embedded sample in memory. */
export async function createCatalog(sql: Sql | undefined, logger: Logger): Promise<CatalogStore> {
  if (sql) return createPgCatalog(sql)
  logger.info('catalog: in memory with the built-in sample (set DATABASE_URL for a durable catalog)', {
    jobs: SAMPLE_JOBS.length,
  })
  return createMemoryCatalog({ jobs: SAMPLE_JOBS })
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
