import type { PriceItem, ReplaceSummary } from '../ports/prices.js'

/** Counts of a replace: what `items` does to a list that held `before` (pure; both adapters use it). */
export function diffItems(before: readonly PriceItem[], items: readonly PriceItem[]): Omit<ReplaceSummary, 'version'> {
  const old = new Map(before.map((i) => [i.itemCode, i]))
  let created = 0
  let updated = 0
  let unchanged = 0
  for (const item of items) {
    const prev = old.get(item.itemCode)
    if (!prev) created++
    else if (prev.price === item.price && prev.description === item.description && prev.unit === item.unit) unchanged++
    else updated++
    old.delete(item.itemCode)
  }
  return { created, updated, unchanged, removed: old.size }
}

export const byItemCode = (a: PriceItem, b: PriceItem) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0)

/** The last item of each code wins (the contract: items keyed by code); plain copies. */
export function dedupeItems(items: readonly PriceItem[]): PriceItem[] {
  const m = new Map<string, PriceItem>()
  for (const i of items) m.set(i.itemCode, { itemCode: i.itemCode, description: i.description, unit: i.unit, price: i.price })
  return [...m.values()]
}
