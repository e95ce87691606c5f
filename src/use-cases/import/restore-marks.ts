import type { Component, JobWithComponents } from '../../ports/catalog.js'
import { jobKey } from '../../domain/catalog/job-key.js'
import type { CheckedComponent, HeldComponents } from './coefficient-check.js'
import type { TextRepair } from './mojibake.js'

/** What the workbook made of `m’` (metre run): `m3`, a real unit, so only a previous import can tell them apart. */
const asLost = (text: string) => text.replaceAll('m’', 'm3')

/**
 * Restores `m’` where the store's copy of the same job (source + code) — or of the same item in it, by
 * description — reads exactly like the incoming text with `m3` put back as `m’`: the file lost the mark,
 * the previous import says where it was. Text without such a held twin is left as read.
 */
export function restoreMetreMarks(
  jobs: readonly JobWithComponents[],
  checked: readonly CheckedComponent[],
  held: ReadonlyMap<string, Pick<JobWithComponents, 'name' | 'unit'>>,
  heldComponents: HeldComponents,
): TextRepair[] {
  const repairs: TextRepair[] = []
  const firstRow = new Map<string, number>()
  for (const e of checked) if (e.job !== undefined && !firstRow.has(e.job)) firstRow.set(e.job, e.row)
  const restore = (row: number, now: string, before: string | undefined, set: (v: string) => void) => {
    if (before === undefined || before === now || !before.includes('m’') || asLost(before) !== now) return
    set(before)
    repairs.push({ row, from: now, to: before })
  }
  for (const job of jobs) {
    const key = jobKey(job.source, job.code)
    const before = held.get(key)
    const row = firstRow.get(key) ?? 0
    restore(row, job.name, before?.name, (v) => (job.name = v))
    restore(row, job.unit, before?.unit, (v) => (job.unit = v))
  }
  for (const e of checked) {
    const before = e.job === undefined ? undefined : heldComponents.get(e.job)
    if (!before) continue
    const c: Component = e.component
    const twin = before.find((h) => h.category === c.category && h.description.trim() === c.description.trim())
    restore(e.row, c.unit, twin?.unit, (v) => (c.unit = v))
  }
  return repairs.sort((a, b) => a.row - b.row)
}
