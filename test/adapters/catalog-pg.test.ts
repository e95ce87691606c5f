import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { describeCatalogContract } from '../contracts/catalog.contract.js'
import { HOSTILE_QUERIES } from '../contracts/catalog-search.cases.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
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
  ...HOSTILE_QUERIES.slice(0, 12),
]

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

  it.each(['semen portland', 'excavator', 'pekerja', 'besi beton', 'dump truck', 'excava', 'mandor', 'semen -portland', 'pasir OR kerikil', 'semn'].map((q) => [q]))(
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

  it('stores the search columns computed by the shared normaliser (no dictionary in the database)', async () => {
    const [row] = await pg.sql`select search_pad, tsv::text as tsv from catalog_jobs where code = '1.1.1.1'`
    expect(row.search_pad.startsWith(' buat pagar sementara ')).toBe(true)
    expect(row.tsv).toContain("'pembuatan':1")
    expect(row.tsv).toContain("'buat':1")
  })
})
