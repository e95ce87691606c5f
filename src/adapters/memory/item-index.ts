/**
 * The distinct items (labour, materials, equipment) named by the jobs' components, indexed with the same
 * `SearchIndex` as job names: an item is a document whose name is its description and whose code is its
 * item code. Each item keeps the ids of the job documents using it (for `in=components` and `jobs`).
 */
import type { Category, Item, JobWithComponents } from '../../ports/catalog.js'
import type { ParsedQuery } from '../../domain/search/query-parser.js'
import { itemTieBreak } from '../../domain/search/items.js'
import { Bitset } from './bitset.js'
import { SearchIndex, type IndexedDoc } from './search-index.js'

interface ItemEntry {
  item: Omit<Item, 'jobs'>
  jobIds: number[]
}

export class ItemIndex {
  readonly index = new SearchIndex()
  private readonly entries: ItemEntry[] = []

  /** `jobs`: the job documents by id (holes allowed). */
  constructor(jobs: readonly (IndexedDoc | undefined)[]) {
    const byKey = new Map<string, ItemEntry>()
    for (const d of jobs) {
      if (!d) continue
      for (const c of d.job.components) {
        const key = itemTieBreak(c.category, c.itemCode, c.description, c.unit)
        let entry = byKey.get(key)
        if (!entry) {
          entry = { item: { category: c.category, itemCode: c.itemCode, description: c.description, unit: c.unit }, jobIds: [] }
          byKey.set(key, entry)
          const doc = this.index.add(asJob(entry.item, key))
          this.entries[doc.id] = entry
        }
        if (entry.jobIds[entry.jobIds.length - 1] !== d.id) entry.jobIds.push(d.id)
      }
    }
    this.index.prepare()
  }

  itemOf(doc: IndexedDoc): Item {
    const e = this.entries[doc.id]!
    return { ...e.item, jobs: e.jobIds.length }
  }

  /** The job documents having a component whose item matches `q`, as a bitset of `jobCount` bits. */
  jobsMatching(q: ParsedQuery, jobCount: number): Bitset {
    const out = new Bitset(jobCount)
    for (const id of this.index.match(q).ids()) for (const j of this.entries[id]!.jobIds) out.set(j)
    return out
  }
}

/** An item as the index's document shape: description as the name, item code as the code. */
function asJob(item: Omit<Item, 'jobs'>, tieBreak: string): JobWithComponents {
  const category: Category = item.category
  return {
    source: tieBreak,
    code: item.itemCode,
    name: item.description,
    unit: item.unit,
    classification: '',
    subClassification: '',
    components: [{ category, itemCode: item.itemCode, description: item.description, unit: item.unit, coefficient: '0' }],
  }
}
