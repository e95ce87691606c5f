import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { ReferenceFiles } from '../ports/reference.js'
import { createMemoryCatalog } from '../adapters/memory/catalog.js'
import { parseReference } from '../use-cases/import/reference.js'

/** The embedded default's catalog: the shipped SNI 2025 reference (as bytes, from a file or a bundled module) in memory. */
export function createShippedMemoryCatalog(files: ReferenceFiles, logger: Logger): CatalogStore {
  const started = performance.now()
  const jobs = parseReference(files)
  logger.info('catalog: in memory with the shipped SNI 2025 reference (set DATABASE_URL for a durable catalog)', {
    jobs: jobs.length,
    loadMs: Math.round(performance.now() - started),
  })
  return createMemoryCatalog({ jobs })
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
