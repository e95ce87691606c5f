import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { buildContainer } from '../../src/composition/index.js'
import { logCatalogContents } from '../../src/composition/catalog-embedded.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { captureLogger } from '../helpers/capture-logger.js'

/** The start-up log says what the catalog holds, and says so plainly when that is nothing. */
describe('catalog at start', () => {
  it('the container logs the jobs, sources and generation it starts with', async () => {
    const logger = captureLogger()
    const container = await buildContainer(loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory' }), logger)
    await container.close()
    const line = logger.lines.find((l) => l.msg === 'catalog loaded')
    expect(line?.level).toBe('info')
    expect(line?.fields.jobs).toBeGreaterThan(0)
    expect(line?.fields.sources).toEqual([expect.stringMatching(/ \(\d+\)$/)])
    expect(line?.fields.generation).toEqual(expect.any(Number))
  })

  it('an empty catalog is said plainly, with how to fill it', async () => {
    const logger = captureLogger()
    await logCatalogContents(createMemoryCatalog({ jobs: [] }), logger)
    expect(logger.at('info').map((l) => l.msg)).toEqual([expect.stringContaining('catalog is empty')])
    expect(logger.at('info')[0]!.msg).toContain('catalog import')
  })

  it('a store that does not answer delays start-up by the bound at most, and is reported', async () => {
    const logger = captureLogger()
    const never = () => new Promise<never>(() => {})
    const hung = { sources: never, generation: never } as unknown as CatalogStore
    const started = performance.now()
    await logCatalogContents(hung, logger, 100)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(logger.at('warn')).toEqual([expect.objectContaining({ msg: 'catalog could not be read at start' })])
  })
})
