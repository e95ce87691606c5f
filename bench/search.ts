/**
 * `npm run bench:search` — uncached search latency of the catalog adapters (no result cache: the store
 * itself), on the real SNI 2025 data (2,305 jobs) and on a synthetic catalog of 100,000 jobs built by
 * recombining real names and codes, for the memory index and PostgreSQL (GIN). A mix of realistic
 * queries is run sequentially; p50/p95/p99 over all of them, then p50/p95 per query on PostgreSQL at the
 * big catalog. Target: p95 ≤ 25 ms. The machine is shared, so each PostgreSQL row also gives the p95 of a
 * trivial indexed query (one job by primary key) run between the searches, and the ratio to it.
 * Env: BENCH_SYNTHETIC (100000), BENCH_SEARCH_ROUNDS (10 passes over the mix), BENCH_DATABASE_URL.
 */
import { cpus, loadavg } from 'node:os'
import { createMemoryCatalog } from '../src/adapters/memory/catalog.js'
import { createPgCatalog } from '../src/adapters/sql/catalog.js'
import { createPgClient } from '../src/adapters/sql/client.js'
import type { CatalogStore, JobWithComponents, SearchQuery } from '../src/ports/catalog.js'
import { loadAhspJobs } from '../test/helpers/ahsp-data.js'
import { progress } from './lib/report.js'
import { benchSchema, envInt } from './lib/services.js'
import { synthetic } from '../test/helpers/synthetic-catalog.js'

const SYNTHETIC = envInt('BENCH_SYNTHETIC', 100_000)
const ROUNDS = envInt('BENCH_SEARCH_ROUNDS', 10)

const MIX: Omit<SearchQuery, 'page' | 'limit'>[] = [
  { q: 'beton' }, { q: 'pasang bata' }, { q: 'galian tanah' }, { q: 'pembuatan pagar' }, { q: 'bekisting' },
  { q: 'cat tembok' }, { q: 'plesteran 1 pc' }, { q: 'besi beton' }, { q: 'keramik lantai' }, { q: 'pipa pvc' },
  { q: '2.2.1' }, { q: '1.1.1.1' }, { q: '"beton bertulang"' }, { q: 'beton -bertulang' }, { q: 'beton OR bekisting' },
  { q: 'pasang bat' }, { q: 'urugan pasir' }, { q: 'bekisitng' }, { q: 'pengecatan' }, { q: 'kayu' },
  { q: 'beton', category: 'ALT' }, { q: 'pemasangan', page: 3 } as never, { q: 'semen' }, { q: 'm3 beton mutu' },
]

/** Item search (`GET /ahsp/items`) and jobs by their components (`in=components`). */
const ITEM_MIX: Omit<SearchQuery, 'page' | 'limit'>[] = [
  { q: 'semen portland' }, { q: 'excavator' }, { q: 'pekerja' }, { q: 'besi beton' }, { q: 'pasir' },
  { q: 'dump truck' }, { q: 'semen' }, { q: 'kayu' }, { q: 'cat' }, { q: 'pipa' }, { q: 'excavtor' }, { q: 'mandor' },
  { q: 'excavator', in: 'components' }, { q: 'semen portland', in: 'components' }, { q: 'pekerja', in: 'components' },
  { q: 'tanah', in: 'components' }, { q: 'pasir', in: 'components', page: 3 } as never,
]

/** Memory and PostgreSQL answer these identically (pages, totals, ranks) at every catalog size: the plans differ by size. */
async function parity(memory: CatalogStore, pg: CatalogStore): Promise<string[]> {
  const differ: string[] = []
  for (const m of [...MIX, ...ITEM_MIX]) {
    for (const page of [1, 3]) {
      const query = { limit: 20, ...m, page: (m as { page?: number }).page ?? page } as SearchQuery
      const items = ITEM_MIX.includes(m) && m.in === undefined
      const [a, b] = items
        ? await Promise.all([memory.searchItems(query), pg.searchItems(query)])
        : await Promise.all([memory.search(query), pg.search(query)])
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${items ? 'items ' : ''}${JSON.stringify(query)}`)
    }
  }
  return differ
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

interface Measured {
  p50: number
  p95: number
  p99: number
  slowest: string
  perQuery: Map<string, number[]>
  /** p95 of the trivial query run after each search (PostgreSQL only). */
  trivialP95?: number
}

/** `trivial`: a query the store's database answers from an index at once, the yardstick for the load. */
async function measure(store: CatalogStore, mix = MIX, trivial?: (i: number) => Promise<unknown>): Promise<Measured> {
  const run = (m: (typeof MIX)[number]) =>
    mix === ITEM_MIX && m.in === undefined ? store.searchItems({ page: 1, limit: 20, ...m }) : store.search({ page: 1, limit: 20, ...m } as SearchQuery)
  for (const m of mix) await run(m) // warm-up: JIT, plan cache, buffer cache
  const times: number[] = []
  const base: number[] = []
  const perQuery = new Map<string, number[]>()
  for (let r = 0; r < ROUNDS; r++) {
    for (const m of mix) {
      const t = performance.now()
      await run(m)
      const ms = performance.now() - t
      times.push(ms)
      const key = JSON.stringify(m)
      perQuery.set(key, [...(perQuery.get(key) ?? []), ms])
      if (trivial) {
        const t0 = performance.now()
        await trivial(times.length)
        base.push(performance.now() - t0)
      }
    }
  }
  times.sort((a, b) => a - b)
  base.sort((a, b) => a - b)
  for (const v of perQuery.values()) v.sort((a, b) => a - b)
  const [slowQ, slowT] = [...perQuery].map(([k, v]) => [k, v[Math.floor(v.length / 2)]] as const).sort((a, b) => b[1] - a[1])[0]
  return {
    p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), slowest: `${slowQ} ${slowT.toFixed(1)} ms`, perQuery,
    trivialP95: trivial ? percentile(base, 95) : undefined,
  }
}

const rows: string[] = []
const details: string[] = []
function report(adapter: string, catalog: string, m: Measured, load: number) {
  const f = (x: number) => x.toFixed(2)
  const trivial = m.trivialP95 === undefined ? '–' : `${f(m.trivialP95)} (×${(m.p95 / m.trivialP95).toFixed(0)})`
  rows.push(`| ${adapter} | ${catalog} | ${f(m.p50)} | ${f(m.p95)} | ${f(m.p99)} | ${trivial} | ${(load / 1000).toFixed(1)} s | ${m.slowest} |`)
  console.log(rows.at(-1))
}

/** p50/p95 of each query of the mix. */
function detail(adapter: string, m: Measured) {
  for (const [q, v] of m.perQuery) details.push(`| ${adapter} | \`${q}\` | ${percentile(v, 50).toFixed(1)} | ${percentile(v, 95).toFixed(1)} |`)
}

async function main() {
  const startLoad = loadavg()[0]
  const real = loadAhspJobs()
  const big = [...real, ...synthetic(real, SYNTHETIC)]
  for (const [label, jobs] of [['real (2,305)', real], [`real + synthetic (${big.length.toLocaleString('en')})`, big]] as const) {
    progress(`memory: ${label}`)
    let t = performance.now()
    const memory = createMemoryCatalog()
    await memory.upsertJobs(jobs)
    report('memory', label, await measure(memory), performance.now() - t)
    report('memory items', label, await measure(memory, ITEM_MIX), 0)

    progress(`postgres: ${label}`)
    const schema = await benchSchema('search')
    const sql = createPgClient(schema.url, { max: 4 })
    try {
      t = performance.now()
      const pg = await createPgCatalog(sql)
      await pg.upsertJobs(jobs, (done, total) => done % 20_000 < 2000 && progress(`  upsert ${done}/${total}`))
      await sql`analyze`
      const trivial = (i: number) => sql`select id from catalog_jobs where id = ${1 + (i % jobs.length)}`
      const byName = await measure(pg, MIX, trivial)
      report('postgres', label, byName, performance.now() - t)
      const items = await measure(pg, ITEM_MIX, trivial)
      report('postgres items', label, items, 0)
      if (jobs === big) {
        detail('postgres', byName)
        detail('postgres items', items)
      }
      const differ = await parity(memory, pg)
      console.log(`parity ${label}: ${differ.length === 0 ? 'memory and PostgreSQL answer the same pages' : `DIFFER: ${differ.join(', ')}`}`)
      if (differ.length > 0) process.exitCode = 1
    } finally {
      await sql.end()
      await schema.drop()
    }
  }
  // Latency on a shared machine tracks its load: print it so runs can be compared.
  const load = `load average ${startLoad.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`
  console.log(`\nUncached search latency, ms, ${MIX.length} queries × ${ROUNDS} rounds, sequential, limit 20; ${load}`)
  console.log('| adapter | catalog | p50 | p95 | p99 | trivial query p95 (ratio) | load (import) | slowest query (median) |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of rows) console.log(r)
  console.log(`\nPer query, PostgreSQL, ${big.length.toLocaleString('en')} jobs, ms (${ROUNDS} runs each)`)
  console.log('| adapter | query | p50 | p95 |')
  console.log('|---|---|---|---|')
  for (const r of details) console.log(r)
}

await main()
