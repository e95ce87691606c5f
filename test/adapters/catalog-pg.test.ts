import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { describeCatalogContract } from '../contracts/catalog.contract.js'
import { HOSTILE_QUERIES } from '../contracts/catalog-search.cases.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { synthetic } from '../helpers/synthetic-catalog.js'
import { createTestSchema } from '../helpers/services.js'

async function freshPgCatalog(label: string): Promise<{ store: CatalogStore; sql: Sql; dispose(): Promise<void> }> {
  const schema = await createTestSchema(label)
  const sql = createPgClient(schema.url, { max: 4 })
  const store = await createPgCatalog(sql)
  return {
    store,
    sql,
    async dispose() {
      await sql.end()
      await schema.drop()
    },
  }
}

describeCatalogContract('postgres', { create: () => freshPgCatalog('catalog') })

/** The same queries, answered item for item (order, rank, total, fuzzy) identically by both adapters. */
const CROSS_QUERIES = [
  'pembuatan pagar', 'buat pagar', 'PAGAR', 'pagar -seng', '"pagar sementara"', 'beton OR bekisting', '1.1.1.1',
  '2.2.1', '2.2.1 beton', 'pasang bat', 'bekisitng', 'betn', 'pemasangan keramik lantai', 'galian tanah manual',
  'plesteran 1 pc', 'cat tembok', 'pengecatan', 'besi beton', 'pipa pvc', 'urugan pasir', 'pemb', 'beton -bertulang',
  '"beton bertulang" OR bekisting', 'genteng', 'kayu', 'semen', 'pekerjaan', 'm3 beton', "f'c 25", 'batu kali',
  'pemasangan', 'pasangan', 'pemasangan -pipa', 'p',
  // ranking.ts `early` (first words): phrase and prefix alternatives, synonyms, OR, exclusions, its bounds.
  'pondasi batu kali', 'rabat beton', 'beton K-225', 'plafon gyp', 'kusen kayu', 'pasangan bata merah -bongkar',
  'galian tanah OR pasir manual', 'pasang dinding bata merah tebal', 'pasang dinding bata merah tebal 1 batu',
  'pemasangan OR pembuatan OR penggalian beton', 'roster', 'panel listrik',
  ...HOSTILE_QUERIES.slice(0, 12),
]

it('a word that is the stem of another word keeps its own posting list (the stemmer is not idempotent)', async () => {
  // youngii → youngi → young: the job naming `youngii` holds youngii and youngi, not young.
  const jobs = ['Penanaman palem youngii', 'Penanaman pohon young'].map((name, i) => ({
    source: 'T', code: `9.${i + 1}`, name, unit: '', classification: '', subClassification: '', components: [],
  }))
  const pg = await freshPgCatalog('catalog_roots')
  try {
    await pg.store.upsertJobs(jobs)
    const memory = createMemoryCatalog({ jobs })
    for (const q of ['youn', 'penanaman youn']) {
      const query = { q, page: 1, limit: 10 }
      const answer = await pg.store.search(query)
      expect(answer.total, q).toBe(2)
      expect(answer).toEqual(await memory.search(query))
    }
  } finally {
    await pg.dispose()
  }
})

it('in=components counts the jobs of broad items from their job bits, also after an import adds jobs', async () => {
  const item = (description: string) => ({ category: 'TK' as const, itemCode: description.toUpperCase(), description, unit: 'OH', coefficient: '1' })
  const job = (i: number, items: string[]) => ({
    source: 'T', code: `9.${i}`, name: `Pekerjaan uji ${i}`, unit: '', classification: '', subClassification: '',
    components: items.map(item),
  })
  // 80 jobs use `Pekerja` (≥ BITS_MIN_JOBS: bits), 27 of them `Pekerja terampil` and 8 `Mandor` (links).
  const first = Array.from({ length: 80 }, (_, i) =>
    job(i, ['Pekerja', ...(i % 3 === 0 ? ['Pekerja terampil'] : []), ...(i % 10 === 0 ? ['Mandor'] : [])]))
  // Then 30 more jobs, past the bits' old length: some use only the sparse items.
  const more = Array.from({ length: 30 }, (_, i) => job(100 + i, i % 2 === 0 ? ['Pekerja terampil'] : ['Pekerja', 'Mandor']))
  const pg = await freshPgCatalog('catalog_bits')
  try {
    for (const jobs of [first, [...first, ...more]]) {
      await pg.store.upsertJobs(jobs)
      const [bits] = await pg.sql`select length(job_bits) as n from catalog_items where description = 'Pekerja'`
      expect(bits.n).toBeGreaterThan(jobs.length)
      const memory = createMemoryCatalog({ jobs })
      for (const q of ['pekerja', 'terampil', 'mandor', 'pekerja OR mandor', 'pekerja -terampil']) {
        const query = { q, in: 'components' as const, page: 1, limit: 10 }
        expect(await pg.store.search(query), q).toEqual(await memory.search(query))
      }
    }
    expect((await pg.store.search({ q: 'pekerja', in: 'components', page: 1, limit: 1 })).total).toBe(110)
  } finally {
    await pg.dispose()
  }
})

it('past the static-order window (8,305 jobs): the feature sets and the walk give the pages ranking gives', async () => {
  // The catalog is larger than TOP_GROUP_WINDOW, so a page proven from the sets and the window is not the
  // whole catalog's by default: a wrong proof shows as a different page.
  const jobs = [...loadAhspJobs(), ...synthetic(loadAhspJobs(), 6000)]
  const pg = await freshPgCatalog('catalog_window')
  try {
    await pg.store.upsertJobs(jobs)
    const memory = createMemoryCatalog({ jobs })
    const queries = ['beton', 'beton OR bekisting', 'beton -bertulang', 'pasang bat', 'pasang bata', 'kayu', 'pipa pvc',
      'pemasangan', 'pasangan', 'galian tanah', 'semen', 'p', 'cat tembok', 'besi beton', 'pengecatan', 'bata']
    for (const q of queries) {
      for (const extra of [{ page: 1, limit: 20 }, { page: 3, limit: 20 }, { page: 2, limit: 100 }, { page: 1, limit: 10, category: 'ALT' as const }]) {
        const query = { q, ...extra }
        expect(await pg.store.search(query), JSON.stringify(query)).toEqual(await memory.search(query))
      }
    }
    for (const q of ['pekerja', 'tanah', 'semen', 'pasir']) {
      for (const page of [1, 4]) {
        const query = { q, in: 'components' as const, page, limit: 20 }
        expect(await pg.store.search(query), JSON.stringify(query)).toEqual(await memory.search(query))
      }
    }
  } finally {
    await pg.dispose()
  }
}, 180_000)

describe('memory and PostgreSQL agree on the real data', () => {
  let pg: Awaited<ReturnType<typeof freshPgCatalog>>
  const memory = createMemoryCatalog({ jobs: loadAhspJobs() })
  beforeAll(async () => {
    pg = await freshPgCatalog('catalog_cross')
    await pg.store.upsertJobs(loadAhspJobs())
  })
  afterAll(() => pg.dispose())

  it.each(CROSS_QUERIES.map((q) => [q]))('%s', async (q) => {
    for (const extra of [{}, { category: 'ALT' as const }, { page: 2, limit: 7 }]) {
      const query = { q, page: 1, limit: 25, ...extra }
      expect(await pg.store.search(query)).toEqual(await memory.search(query))
    }
  })

  it.each(['semen portland', 'excavator', 'pekerja', 'besi beton', 'dump truck', 'excava', 'mandor', 'semen -portland', 'pasir OR kerikil', 'semn', 'tanah', 'p'].map((q) => [q]))(
    'items and in=components: %s',
    async (q) => {
      for (const extra of [{}, { category: 'ALT' as const }, { page: 2, limit: 7 }]) {
        const query = { q, page: 1, limit: 25, ...extra }
        expect(await pg.store.searchItems(query)).toEqual(await memory.searchItems(query))
        const components = { ...query, in: 'components' as const }
        expect(await pg.store.search(components)).toEqual(await memory.search(components))
      }
    },
  )

  it('a word runs as its root only where every job and item holding it holds the root (same matches)', async () => {
    const [{ roots }] = await pg.sql<{ roots: number }[]>`select count(root)::int as roots from catalog_words`
    expect(roots).toBeGreaterThan(50)
    const [pemasangan] = await pg.sql`select root from catalog_words where word = 'pemasangan'`
    expect(pemasangan.root).toBe('pasang')
    for (const table of ['catalog_jobs', 'catalog_items']) {
      const unsound = await pg.sql`
        select w.word from catalog_words w where w.root is not null and exists (
          select 1 from ${pg.sql(table)} t where t.tsv @@ (quote_literal(w.word) || ' & !' || quote_literal(w.root))::tsquery)`
      expect(unsound).toEqual([])
    }
  })

  it('a catalog stored before the head word, roots and link keys existed is re-derived at start', async () => {
    await pg.sql`update catalog_jobs set head = ''`
    await pg.sql`update catalog_words set root = null`
    await pg.sql`update catalog_item_jobs set job_len = null, job_sort = null`
    await pg.sql`update catalog_meta set layout = 0`
    await createPgCatalog(pg.sql)
    const [job] = await pg.sql`select head from catalog_jobs where code = '1.1.1.1'`
    expect(job.head).toBe('buat')
    const [{ roots }] = await pg.sql<{ roots: number }[]>`select count(root)::int as roots from catalog_words`
    expect(roots).toBeGreaterThan(50)
    expect(await pg.store.search({ q: 'pembuatan pagar', page: 1, limit: 25 })).toEqual(await memory.search({ q: 'pembuatan pagar', page: 1, limit: 25 }))
    // The links' copies of their jobs' static order keys too (in=components reads them).
    const components = { q: 'pasir', in: 'components' as const, page: 2, limit: 25 }
    expect(await pg.store.search(components)).toEqual(await memory.search(components))
  })

  it('stores the search columns computed by the shared normaliser (no dictionary in the database)', async () => {
    const [row] = await pg.sql`select search_pad, tsv::text as tsv from catalog_jobs where code = '1.1.1.1'`
    expect(row.search_pad.startsWith(' buat pagar sementara ')).toBe(true)
    expect(row.tsv).toContain("'pembuatan':1")
    expect(row.tsv).toContain("'buat':1")
  })
})
