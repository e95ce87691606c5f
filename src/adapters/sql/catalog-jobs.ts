import type { Sql } from './client.js'
import { toJob } from './catalog-page.js'
import { clean } from '../../domain/catalog/canonical-job.js'
import type { Category, JobRef, JobWithComponents } from '../../ports/catalog.js'

/**
 * Many jobs with their components in two statements (an estimate names up to 5,000 lines): the jobs of
 * the distinct refs at once — a ref without a source takes the first source of its code in "C" order,
 * like `getJob` — then every component of those jobs in one read.
 */
export async function readJobs(sql: Sql, refs: readonly JobRef[]): Promise<(JobWithComponents | undefined)[]> {
  const slots = new Map<string, number>()
  const codes: string[] = []
  const sources: (string | null)[] = []
  const slotOf = refs.map((r) => {
    const code = clean(r.code)
    const source = r.source === undefined ? null : clean(r.source)
    const key = JSON.stringify([code, source])
    let slot = slots.get(key)
    if (slot === undefined) {
      slots.set(key, (slot = codes.length))
      codes.push(code)
      sources.push(source)
    }
    return slot
  })
  if (codes.length === 0) return []
  const rows = await sql<(Record<string, string> & { id: string; slot: number })[]>`
    select distinct on (w.slot) (w.slot - 1)::int as slot, j.id, j.source, j.code, j.name, j.unit, j.classification, j.sub_classification
    from unnest(${sql.array(codes)}::text[], ${sql.array(sources as string[])}::text[]) with ordinality as w (code, source, slot)
    join catalog_jobs j on j.code = w.code and (w.source is null or j.source = w.source)
    order by w.slot, j.source collate "C"`
  const byId = new Map<string, JobWithComponents>()
  const found: (JobWithComponents | undefined)[] = new Array(codes.length)
  for (const r of rows) {
    const job = byId.get(r.id) ?? { ...toJob(r), components: [] }
    byId.set(r.id, job)
    found[r.slot] = job
  }
  if (byId.size > 0) {
    const comps = await sql<{ job_id: string; category: Category; item_code: string; description: string; unit: string; coefficient: string }[]>`
      select job_id, category, item_code, description, unit, coefficient::text as coefficient
      from catalog_components where job_id = any(${sql.array([...byId.keys()])}::bigint[]) order by job_id, ord`
    for (const c of comps) {
      byId.get(c.job_id)!.components.push({ category: c.category, itemCode: c.item_code, description: c.description, unit: c.unit, coefficient: c.coefficient })
    }
  }
  // Each ref gets its own copy, as from `getJob`: callers may change what they were given.
  const seen = new Set<JobWithComponents>()
  return slotOf.map((slot) => {
    const job = found[slot]
    if (!job || !seen.has(job)) {
      if (job) seen.add(job)
      return job
    }
    return { ...job, components: job.components.map((c) => ({ ...c })) }
  })
}
