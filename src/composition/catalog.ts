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
