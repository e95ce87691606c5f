import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogStore, JobWithComponents } from '../../src/ports/catalog.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import type { CatalogFactory } from './catalog.contract.js'

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ')

/** Jobs having a component whose folded description contains every one of `words` (computed from the data). */
function jobsUsing(jobs: JobWithComponents[], words: string[]): Set<string> {
  return new Set(
    jobs
      .filter((j) => j.components.some((c) => words.every((w) => ` ${fold(c.description)} `.includes(` ${w} `))))
      .map((j) => j.code),
  )
}

export function itemCases(factory: CatalogFactory): void {
  describe('items and in=components on the real data', () => {
    let store: CatalogStore
    let dispose: () => Promise<void>
    const jobs = loadAhspJobs()
    beforeAll(async () => {
      ;({ store, dispose } = await factory.create())
      await store.upsertJobs(jobs)
    })
    afterAll(() => dispose())

    it('lists distinct items with how many jobs use each: semen portland, excavator, pekerja', async () => {
      const semen = await store.searchItems({ q: 'semen portland', page: 1, limit: 100 })
      expect(semen.total).toBeGreaterThan(0)
      expect(semen.items.every((i) => fold(i.description).includes('semen portland'))).toBe(true)
      const pc = semen.items.find((i) => i.itemCode === 'B-0006')!
      expect(pc).toMatchObject({ category: 'BHN', description: 'Semen Portland (PC)', unit: 'kg' })
      expect(pc.jobs).toBe(jobs.filter((j) => j.components.some((c) => c.itemCode === 'B-0006')).length)

      const excavator = await store.searchItems({ q: 'excavator', page: 1, limit: 100 })
      expect(excavator.total).toBeGreaterThanOrEqual(7)
      expect(excavator.items.every((i) => i.category === 'ALT')).toBe(true)

      const pekerja = await store.searchItems({ q: 'pekerja', category: 'TK', page: 1, limit: 100 })
      const pekerjaOH = pekerja.items.find((i) => i.itemCode === 'TK-0005')!
      expect(pekerjaOH.jobs).toBeGreaterThan(1000)
      expect(pekerja.items.every((i) => i.category === 'TK')).toBe(true)
    })

    it('the item search has the job search syntax: exclusion, OR, phrases, type-ahead', async () => {
      const truck = await store.searchItems({ q: 'dump truck', page: 1, limit: 50 })
      expect(truck.total).toBeGreaterThanOrEqual(3)
      const notSewa = await store.searchItems({ q: 'excavator -sewa', page: 1, limit: 50 })
      expect(notSewa.items.every((i) => !fold(i.description).includes('sewa'))).toBe(true)
      const either = await store.searchItems({ q: 'excavator OR bulldozer', page: 1, limit: 50 })
      expect(either.total).toBeGreaterThan(notSewa.total)
      expect((await store.searchItems({ q: 'excava', page: 1, limit: 50 })).total).toBe(
        (await store.searchItems({ q: 'excavator', page: 1, limit: 50 })).total,
      )
    })

    it('pages never overlap and add up to the total', async () => {
      const all = await store.searchItems({ q: 'semen', page: 1, limit: 100 })
      const pages = await Promise.all([1, 2, 3].map((page) => store.searchItems({ q: 'semen', page, limit: 5 })))
      const keys = pages.flatMap((p) => p.items.map((i) => `${i.category} ${i.itemCode} ${i.description}`))
      expect(new Set(keys).size).toBe(keys.length)
      expect(keys).toEqual(all.items.slice(0, 15).map((i) => `${i.category} ${i.itemCode} ${i.description}`))
    })

    it('in=components finds the jobs having a matching component (excavator, dump truck, pasir beton)', async () => {
      for (const q of ['excavator', 'dump truck', 'pasir beton', 'semen portland']) {
        const expected = jobsUsing(jobs, q.split(' '))
        const r = await store.search({ q, in: 'components', page: 1, limit: 100 })
        expect(r.total, q).toBe(expected.size)
        for (const h of r.items) expect(expected.has(h.code), `${q}: ${h.code}`).toBe(true)
      }
      // The same words in job names find other jobs: the default is in=name.
      const byName = await store.search({ q: 'excavator', page: 1, limit: 10 })
      expect(byName.total).toBeLessThan((await store.search({ q: 'excavator', in: 'components', page: 1, limit: 10 })).total)
    })

    it('in=components keeps the filters: category and source', async () => {
      const all = await store.search({ q: 'excavator', in: 'components', page: 1, limit: 100 })
      const none = await store.search({ q: 'excavator', in: 'components', source: 'nope', page: 1, limit: 100 })
      expect(none.total).toBe(0)
      const withTk = await store.search({ q: 'excavator', in: 'components', category: 'TK', page: 1, limit: 100 })
      expect(withTk.total).toBeLessThanOrEqual(all.total)
    })

    it('a word of the catalog is never fuzzy-rewritten: mandor is an item, not a misspelt mandi', async () => {
      const r = await store.search({ q: 'mandor', page: 1, limit: 10 })
      expect(r.fuzzy ?? false).toBe(false)
      expect(r.items.every((h) => !/mandi/i.test(h.name))).toBe(true)
      expect((await store.searchItems({ q: 'mandor', page: 1, limit: 10 })).items[0].description).toBe('Mandor')
    })

    it('a re-import that drops a job updates the item counts', async () => {
      const { store: own, dispose: done } = await factory.create()
      try {
        const two = jobs.filter((j) => j.code === '1.1.1.1' || j.code === '1.1.1.2')
        await own.upsertJobs(two)
        const before = await own.searchItems({ q: 'mandor', page: 1, limit: 10 })
        expect(before.items[0].jobs).toBe(2)
        await own.upsertJobs([{ ...two[1], components: two[1].components.filter((c) => c.description !== 'Mandor') }])
        const after = await own.searchItems({ q: 'mandor', page: 1, limit: 10 })
        expect(after.items[0].jobs).toBe(1)
      } finally {
        await done()
      }
    })
  })
}
