import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { createImportCatalog } from '../../src/use-cases/import/import-catalog.js'
import { readReferenceFile } from '../helpers/ahsp-data.js'
import { createTestSchema } from '../helpers/services.js'

const workbook = () => ({ bytes: readReferenceFile('SNI_2025_AHSP.xlsx'), filename: 'SNI_2025_AHSP.xlsx' })

describe('importing the real workbook into PostgreSQL (fresh schema)', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>
  let sql: Sql
  let store: CatalogStore

  beforeAll(async () => {
    schema = await createTestSchema('catalog_import')
    sql = createPgClient(schema.url, { max: 4 })
    store = await createPgCatalog(sql)
  })
  afterAll(async () => {
    await sql?.end({ timeout: 5 })
    await schema?.drop()
  })

  it('creates 2,305 jobs with 13,899 components; coefficients come back exact; a re-import changes nothing', async () => {
    const progress: number[] = []
    const importCatalog = createImportCatalog({ store })
    const first = await importCatalog({ file: workbook(), onProgress: (done) => progress.push(done) })
    expect(first).toMatchObject({ jobs: { created: 2_305, updated: 0, unchanged: 0 }, components: 13_899, errorCount: 0, warningCount: 37 + 537 })
    // 37 rows without a category, 537 coefficients that lost their decimal point (test/import/coefficient-check.test.ts)
    expect(progress.at(-1)).toBe(2_305)
    const generation = await store.generation()
    expect(generation).toBeGreaterThan(0)

    const job = (await store.getJob('1.1.1.1', 'AHSP 2025'))!
    const coefficients = Object.fromEntries(job.components.map((c) => [c.description, c.coefficient]))
    expect(coefficients).toMatchObject({ 'Kayu Kaso 5/7 kelas II': '0.0387', Mandor: '0.013', Kerikil: '83349', 'Semen Portland (PC)': '26.406' })
    const [{ lain }] = await sql`select count(*)::int as lain from catalog_components where category = 'LAIN'`
    expect(lain).toBe(37)

    const second = await importCatalog({ file: workbook() })
    expect(second.jobs).toEqual({ created: 0, updated: 0, unchanged: 2_305 })
    expect(await store.generation()).toBe(generation)
  })
})
