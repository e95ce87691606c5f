import { afterAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createTestSchema } from '../helpers/services.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { unitFromName } from '../../src/domain/catalog/unit-from-name.js'

const config = (env: Record<string, string> = {}) =>
  loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', RATE_LIMIT_API: '100000/60', ...env })

describe('the shipped SNI 2025 reference', () => {
  const containers: Container[] = []
  afterAll(() => Promise.all(containers.map((c) => c.close())))

  it('is the embedded default: no configuration answers real questions', async () => {
    const c = await buildContainer(config(), silentLogger)
    containers.push(c)
    expect(await c.catalog.sources()).toEqual([{ source: 'AHSP 2025', jobs: 2305 }])
    const res = await c.app.request('/ahsp/search?q=galian%20tanah&limit=5')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { total: number; items: { name: string }[] }
    expect(body.total).toBeGreaterThan(10)
    expect(body.items[0].name.toLowerCase()).toContain('galian')
    const job = (await (await c.app.request('/ahsp/jobs/1.1.1.1')).json()) as { unit: string; components: unknown[] }
    expect(job.unit).toBe('m’')
    expect(job.components).toHaveLength(loadAhspJobs().find((j) => j.code === '1.1.1.1')!.components.length)
  })

  it('states a unit for every job whose name states one (the same rule as the import)', async () => {
    const c = containers[0]
    let withUnit = 0
    for (const j of loadAhspJobs()) {
      const job = (await c.catalog.getJob(j.code, j.source))!
      expect(job.unit).toBe(unitFromName(j.name))
      if (job.unit) withUnit++
    }
    // 2,276 of the 2,305 names state "1 <unit>" or "per <unit>"; the other 29 (e.g. "Patok Tetap Utama") none.
    expect(withUnit).toBe(2276)
  })

  it('seeds an empty PostgreSQL catalog once, even with two instances starting at once; CATALOG_SEED=false skips it', async () => {
    const schema = await createTestSchema('seed')
    try {
      const [a, b] = await Promise.all([
        buildContainer(config({ DATABASE_URL: schema.url }), silentLogger),
        buildContainer(config({ DATABASE_URL: schema.url }), silentLogger),
      ])
      containers.push(a, b)
      expect(await a.catalog.sources()).toEqual([{ source: 'AHSP 2025', jobs: 2305 }])
      expect(await a.catalog.generation()).toBe(1)
      const res = await b.app.request('/ahsp/search?q=galian%20tanah&limit=1')
      expect(((await res.json()) as { total: number }).total).toBeGreaterThan(10)
    } finally {
      await Promise.all(containers.splice(1).map((c) => c.close()))
      await schema.drop()
    }
    const empty = await createTestSchema('noseed')
    try {
      const c = await buildContainer(config({ DATABASE_URL: empty.url, CATALOG_SEED: 'false' }), silentLogger)
      containers.push(c)
      expect(await c.catalog.sources()).toEqual([])
    } finally {
      await containers.pop()!.close()
      await empty.drop()
    }
  })
})
