import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CatalogStore, JobWithComponents } from '../../src/ports/catalog.js'
import { ValidationError } from '../../src/domain/errors.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import type { CatalogFactory } from './catalog.contract.js'

const job = (code: string, name: string, coefficients: string[], source = 'Uji'): JobWithComponents => ({
  source,
  code,
  name,
  unit: 'm2',
  classification: '',
  subClassification: '',
  components: coefficients.map((coefficient, i) => ({
    category: i === 0 ? 'TK' : 'BHN',
    itemCode: `X-${i}`,
    description: `Item ${i}`,
    unit: 'kg',
    coefficient,
  })),
})

export function storeCases(factory: CatalogFactory): void {
  describe('upsert, generation and exact values', () => {
    let store: CatalogStore
    let dispose: () => Promise<void>
    beforeEach(async () => ({ store, dispose } = await factory.create()))
    afterEach(() => dispose())

    it('items(): the distinct items of the components, sorted; empty before an import', async () => {
      expect(await store.items()).toEqual([])
      const jobs = loadAhspJobs()
      await store.upsertJobs(jobs)
      const expected = new Map<string, object>()
      for (const j of jobs) for (const c of j.components) {
        const desc = c.description.trim()
        expected.set(JSON.stringify([c.itemCode.trim(), desc, c.unit.trim(), c.category]), { itemCode: c.itemCode.trim(), description: desc, unit: c.unit.trim(), category: c.category })
      }
      const items = await store.items()
      expect(new Set(items.map((i) => JSON.stringify([i.itemCode, i.description, i.unit, i.category])))).toEqual(new Set(expected.keys()))
      expect(items.length).toBe(expected.size)
      expect(items.find((i) => i.itemCode === 'TK-0001')).toMatchObject({ description: 'Mandor', unit: 'OH', category: 'TK' })
    })

    it('imports the real data once; a re-import changes nothing and keeps the generation', async () => {
      const jobs = loadAhspJobs()
      const progress: number[] = []
      const first = await store.upsertJobs(jobs, (done) => progress.push(done))
      expect(first).toEqual({ created: 2305, updated: 0, unchanged: 0, components: 14036 })
      expect(progress.at(-1)).toBe(2305)
      const gen = await store.generation()
      expect(gen).toBe(1)
      expect(await store.upsertJobs(jobs)).toEqual({ created: 0, updated: 0, unchanged: 2305, components: 0 })
      expect(await store.generation()).toBe(gen)
    })

    it('replaces the components of a changed job as a whole and bumps the generation', async () => {
      await store.upsertJobs([job('1.1', 'Pemasangan pagar kayu', ['1', '2', '3']), job('1.2', 'Galian tanah', ['4'])])
      const g1 = await store.generation()
      const r = await store.upsertJobs([job('1.1', 'Pemasangan pagar kayu', ['0.5']), job('1.2', 'Galian tanah', ['4'])])
      expect(r).toEqual({ created: 0, updated: 1, unchanged: 1, components: 1 })
      expect(await store.generation()).toBe(g1 + 1)
      const j = await store.getJob('1.1', 'Uji')
      expect(j!.components).toEqual([{ category: 'TK', itemCode: 'X-0', description: 'Item 0', unit: 'kg', coefficient: '0.5' }])
      const renamed = await store.upsertJobs([job('1.2', 'Galian pasir', ['4'])])
      expect(renamed.updated).toBe(1)
      expect((await store.search({ q: 'tanah', page: 1, limit: 10 })).total).toBe(0)
      expect((await store.search({ q: 'pasir', page: 1, limit: 10 })).total).toBe(1)
      // The vocabulary follows: the vanished word is no fuzzy target any more, the new one is.
      expect((await store.search({ q: 'tanha', page: 1, limit: 10 })).total).toBe(0)
      expect((await store.search({ q: 'pasri', page: 1, limit: 10 })).fuzzy).toBe(true)
    })

    it('keeps coefficients exact: no float rounding, canonical decimals', async () => {
      const precise = '0.12345678901234567890123456789'
      await store.upsertJobs([job('2.1', 'Uji angka', ['0.038700', '0.1', '0.2', precise, '83349', '-0.000', '007.50'])])
      const coefs = (await store.getJob('2.1'))!.components.map((c) => c.coefficient)
      expect(coefs).toEqual(['0.0387', '0.1', '0.2', precise, '83349', '0', '7.5'])
      expect(Number(coefs[0])).toBe(0.0387)
    })

    it('deduplicates (source, code) within one import, the last one winning', async () => {
      const r = await store.upsertJobs([job('3.1', 'Nama lama', ['1']), job('3.1', 'Nama baru', ['2'])])
      expect(r).toEqual({ created: 1, updated: 0, unchanged: 0, components: 1 })
      expect((await store.getJob('3.1'))!.name).toBe('Nama baru')
    })

    it('is all-or-nothing: an invalid coefficient rejects the whole import', async () => {
      const bad = job('4.2', 'Rusak', ['abc'])
      await expect(store.upsertJobs([job('4.1', 'Baik', ['1']), bad])).rejects.toBeInstanceOf(ValidationError)
      expect(await store.getJob('4.1')).toBeUndefined()
      expect(await store.generation()).toBe(0)
    })

    it('getJob without a source picks the first source in sort order; sources are sorted', async () => {
      await store.upsertJobs([job('5.1', 'Dari B', ['1'], 'B'), job('5.1', 'Dari A', ['1'], 'A'), job('5.2', 'x', [], 'B')])
      expect((await store.getJob('5.1'))!.name).toBe('Dari A')
      expect((await store.getJob('5.1', 'B'))!.name).toBe('Dari B')
      expect(await store.sources()).toEqual([
        { source: 'A', jobs: 1 },
        { source: 'B', jobs: 2 },
      ])
      const r = await store.search({ q: '5.1', page: 1, limit: 10 })
      expect(r.items.map((h) => h.source)).toEqual(['A', 'B'])
    })

    it('getJobs answers each ref as getJob does, in order: sources or the first in sort order, misses, repeats, copies', async () => {
      await store.upsertJobs([job('6.1', 'Dari B', ['1', '2'], 'B'), job('6.1', 'Dari A', ['0.5'], 'A'), job('6.2', 'Hanya B', ['3'], 'B')])
      expect(await store.getJobs([])).toEqual([])
      const refs = [
        { code: '6.1' }, { code: '6.1', source: 'B' }, { code: ' 6.2 ' }, { code: '6.2', source: 'A' }, { code: '9.9' },
        { code: '6.1', source: 'B' }, { code: '6.1' },
      ]
      const many = await store.getJobs(refs)
      const one = await Promise.all(refs.map((r) => store.getJob(r.code, r.source)))
      expect(many).toEqual(one)
      expect(many.map((j) => j?.name)).toEqual(['Dari A', 'Dari B', 'Hanya B', undefined, undefined, 'Dari B', 'Dari A'])
      expect(many[1]!.components.map((c) => c.coefficient)).toEqual(['1', '2'])
      many[1]!.components[0]!.coefficient = '99'
      expect(many[5]!.components[0]!.coefficient).toBe('1')
      expect((await store.getJob('6.1', 'B'))!.components[0]!.coefficient).toBe('1')
    })

    it('orders dotted codes naturally (1.2 < 1.10) and ties by code', async () => {
      await store.upsertJobs(['1.10', '1.2', '1.1', '1.2.1', '1.9'].map((c) => job(c, 'Pekerjaan sama', ['1'])))
      const r = await store.search({ q: 'pekerjaan sama', page: 1, limit: 10 })
      expect(r.items.map((h) => h.code)).toEqual(['1.1', '1.2', '1.2.1', '1.9', '1.10'])
      const byCode = await store.search({ q: '1', page: 1, limit: 10 })
      expect(byCode.total).toBe(0)
    })
  })
}
