import { describe, expect, it } from 'vitest'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { SAMPLE_JOBS, SAMPLE_SOURCE } from '../../src/adapters/memory/sample-catalog.js'

describe('built-in sample catalog (embedded default)', () => {
  const catalog = createMemoryCatalog({ jobs: SAMPLE_JOBS })
  const search = (q: string) => catalog.search({ q, page: 1, limit: 20 })

  it('answers typical searches at once', async () => {
    for (const q of ['beton', 'pasang bata', 'galian tanah', 'pengecatan tembok', 'bekisting', 'keramik', 'pagar']) {
      expect((await search(q)).total, q).toBeGreaterThan(0)
    }
    expect((await search('2.1')).items.map((h) => h.code)).toEqual(['2.1.1', '2.1.2', '2.1.3'])
    expect((await search('bekistng')).fuzzy).toBe(true)
  })

  it('holds realistic jobs: unique codes, TK/BHN/ALT components, exact decimal coefficients', async () => {
    expect(await catalog.sources()).toEqual([{ source: SAMPLE_SOURCE, jobs: SAMPLE_JOBS.length }])
    expect(SAMPLE_JOBS.length).toBeGreaterThanOrEqual(20)
    expect(new Set(SAMPLE_JOBS.map((j) => j.code)).size).toBe(SAMPLE_JOBS.length)
    const molen = await catalog.getJob('2.1.2')
    expect(new Set(molen!.components.map((c) => c.category))).toEqual(new Set(['TK', 'BHN', 'ALT']))
    expect(molen!.components.find((c) => c.itemCode === 'E.301')!.coefficient).toBe('0.25')
    expect((await catalog.search({ q: 'beton', category: 'ALT', page: 1, limit: 20 })).total).toBeGreaterThan(0)
  })
})
