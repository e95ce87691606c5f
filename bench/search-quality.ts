/**
 * `npm run bench:quality` — the search-quality query set (test/search-quality/queries.tsv) scored top-1 /
 * top-5 per kind of query on the memory catalog and on PostgreSQL (a fresh schema), with the queries whose
 * first hit is not a meant job. Env: BENCH_DATABASE_URL.
 */
import { createMemoryCatalog } from '../src/adapters/memory/catalog.js'
import { createPgCatalog } from '../src/adapters/sql/catalog.js'
import { createPgClient } from '../src/adapters/sql/client.js'
import { loadAhspJobs } from '../test/helpers/ahsp-data.js'
import { formatQuality, loadQualityQueries, scoreQuality } from '../test/search-quality/score.js'
import { benchSchema } from './lib/services.js'

const queries = loadQualityQueries()
const memory = await scoreQuality(createMemoryCatalog({ jobs: loadAhspJobs() }), queries)
const schema = await benchSchema('quality')
const sql = createPgClient(schema.url, { max: 4 })
try {
  const pg = await createPgCatalog(sql)
  await pg.upsertJobs(loadAhspJobs())
  const postgres = await scoreQuality(pg, queries)
  console.log(formatQuality('memory', memory))
  console.log(formatQuality('postgres', postgres).split('\n').slice(2).join('\n'))
  const same = queries.every((q) => JSON.stringify(memory.pages.get(q.query)) === JSON.stringify(postgres.pages.get(q.query)))
  console.log(`\nsame first page on both adapters: ${same ? 'yes' : 'NO'}`)
  console.log(`first hit not a meant job (${memory.misses.length}):`)
  for (const m of memory.misses) console.log(`  ${m.query}${m.top5 ? '  (in the top 5)' : '  (not in the top 5)'}  → ${m.first ?? 'nothing'}`)
} finally {
  await sql.end()
  await schema.drop()
}
