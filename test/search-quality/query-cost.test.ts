/**
 * Query cost is bounded (issue 10 item 8): the most expensive queries one can write against the real
 * catalog on PostgreSQL — the most OR alternatives allowed, a dozen misspelt words (fuzzy: one vocabulary
 * round trip for all of them), the longest phrase, a one-letter type-ahead, deep pages, broad component
 * and item searches — each answers within 30 ms (best of three after a warm-up: the machine is shared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { createTestSchema } from '../helpers/services.js'

const BOUND_MS = 30

const ors = (words: string[]) => words.join(' OR ')
const WORST: [string, (s: CatalogStore) => Promise<unknown>][] = [
  [
    '24 alternatives of the commonest words, 8 per clause',
    (s) => s.search({
      q: [
        ors(['pemasangan', 'pembuatan', 'penggalian', 'pengecatan', 'pekerjaan', 'pemadatan', 'penanaman', 'pengangkutan']),
        ors(['beton', 'kayu', 'pipa', 'tanah', 'batu', 'baja', 'besi', 'kabel']),
        ors(['m', 'cm', 'mm', 'manual', 'mekanis', 'tebal', 'ukuran', 'p']),
      ].join(' '),
      page: 1,
      limit: 100,
    }),
  ],
  ['12 misspelt words (fuzzy)', (s) => s.search({ q: 'bekisitng betn pasri tanha keramk plesteren waterprofing wastafle galain kusne jendla pintuu', page: 1, limit: 100 })],
  ['12 unknown words', (s) => s.search({ q: 'qqqqa qqqqb qqqqc qqqqd qqqqe qqqqf qqqqg qqqqh qqqqi qqqqj qqqqk qqqql', page: 1, limit: 100 })],
  ['a 16-word phrase', (s) => s.search({ q: '"pemasangan 1 m2 dinding bata merah tebal 1 batu dengan mortar tipe m fc 17 2 mpa setara"', page: 1, limit: 100 })],
  ['one-letter type-ahead', (s) => s.search({ q: 'p', page: 1, limit: 100 })],
  ['broad word, deep page', (s) => s.search({ q: 'pemasangan', page: 14, limit: 100 })],
  ['broad word excluding broad words', (s) => s.search({ q: 'pemasangan -pipa -kabel -beton -kayu -besi -baja -tanah -batu -cat -m', page: 1, limit: 100 })],
  ['code prefix with words and a filter', (s) => s.search({ q: '2 OR 3 OR 5 OR 6 OR 9 pemasangan', category: 'ALT', page: 1, limit: 100 })],
  ['the commonest item in components', (s) => s.search({ q: 'pekerja', in: 'components', page: 1, limit: 100 })],
  ['items, one-letter type-ahead', (s) => s.searchItems({ q: 's', page: 1, limit: 100 })],
]

describe('query cost on PostgreSQL with the real catalog', () => {
  let sql: Sql
  let drop: () => Promise<void>
  let store: CatalogStore
  beforeAll(async () => {
    const schema = await createTestSchema('query_cost')
    drop = schema.drop
    sql = createPgClient(schema.url, { max: 4 })
    store = await createPgCatalog(sql)
    await store.upsertJobs(loadAhspJobs())
  }, 120_000)
  afterAll(async () => {
    await sql?.end()
    await drop?.()
  })

  it.each(WORST)(`%s: within ${BOUND_MS} ms`, async (_, run) => {
    await run(store)
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      await run(store)
      times.push(performance.now() - t)
    }
    expect(Math.min(...times)).toBeLessThan(BOUND_MS)
  })

  it('more alternatives than the bound are refused before any statement runs (was 170 statements for 84)', async () => {
    const q = Array.from({ length: 84 }, (_, i) => `kata${i}`).join(' OR ')
    await expect(store.search({ q, page: 1, limit: 20 })).rejects.toThrow(/at most 8 OR alternatives/)
  })
})
