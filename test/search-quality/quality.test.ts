/**
 * Search quality on the shipped reference: the query set of `queries.tsv` (written as estimators ask,
 * each with the jobs meant and why) scored top-1 / top-5 on the memory and PostgreSQL catalogs, which
 * must answer every query with the same page. The floors are what the ranking reaches today (issue 15
 * targets 95 % / 99 %; the misses are listed when the test runs): a ranking change that loses ground fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { createTestSchema } from '../helpers/services.js'
import { formatQuality, loadQualityQueries, scoreQuality, type QualityReport } from './score.js'

const TOP1_FLOOR = 0.96
const TOP5_FLOOR = 0.99

describe('search quality: the estimators\' query set on the shipped reference', () => {
  const queries = loadQualityQueries()
  let sql: Sql
  let drop: () => Promise<void>
  let pg: CatalogStore
  const memory = createMemoryCatalog({ jobs: loadAhspJobs() })
  const reports: Record<string, QualityReport> = {}

  beforeAll(async () => {
    const schema = await createTestSchema('quality')
    drop = schema.drop
    sql = createPgClient(schema.url, { max: 4 })
    pg = await createPgCatalog(sql)
    await pg.upsertJobs(loadAhspJobs())
    reports.memory = await scoreQuality(memory, queries)
    reports.postgres = await scoreQuality(pg, queries)
    console.log(`${formatQuality('memory', reports.memory)}\n${formatQuality('postgres', reports.postgres).split('\n').slice(2).join('\n')}`)
    console.log('not first:', reports.memory.misses.map((m) => `${m.query}${m.top5 ? ' (top 5)' : ''}`).join('; '))
  }, 120_000)
  afterAll(async () => {
    await sql?.end()
    await drop?.()
  })

  it('has at least 150 queries, each with the jobs meant and why', () => {
    expect(queries.length).toBeGreaterThanOrEqual(150)
    for (const q of queries) {
      expect(q.codes.length, q.query).toBeGreaterThan(0)
      expect(q.why.length, q.query).toBeGreaterThan(5)
    }
    expect(new Set(queries.map((q) => q.query)).size).toBe(queries.length)
  })

  it('memory and PostgreSQL answer every query with the same page', () => {
    for (const q of queries) expect(reports.postgres.pages.get(q.query), q.query).toEqual(reports.memory.pages.get(q.query))
  })

  it.each(['memory', 'postgres'])('%s: top-1 and top-5 at or above the floors', (name) => {
    const { all } = reports[name]
    expect(all.top1 / all.queries).toBeGreaterThanOrEqual(TOP1_FLOOR)
    expect(all.top5 / all.queries).toBeGreaterThanOrEqual(TOP5_FLOOR)
  })
})
