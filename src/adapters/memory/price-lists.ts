import type { PriceList, PriceListStore } from '../../ports/prices.js'
import { byItemCode, dedupeItems, diffItems } from '../../domain/price-items.js'

/** Price lists in this process (the embedded default; gone at restart). */
export function createMemoryPriceLists(): PriceListStore {
  const lists = new Map<string, PriceList>()
  let lastVersion = 0
  const copy = (l: PriceList): PriceList => ({ ...l, items: l.items.map((i) => ({ ...i })) })

  return {
    async replace(list, items) {
      const sorted = dedupeItems(items).sort(byItemCode)
      const counts = diffItems(lists.get(list)?.items ?? [], sorted)
      const version = ++lastVersion
      lists.set(list, { list, items: sorted, updatedAt: new Date().toISOString(), version })
      return { ...counts, version }
    },
    async get(list) {
      const l = lists.get(list)
      return l && copy(l)
    },
    async lists() {
      return [...lists.values()]
        .sort((a, b) => (a.list < b.list ? -1 : a.list > b.list ? 1 : 0))
        .map((l) => ({ list: l.list, items: l.items.length, updatedAt: l.updatedAt }))
    },
    async delete(list) {
      return lists.delete(list)
    },
    async version(list) {
      return lists.get(list)?.version ?? 0
    },
    async close() {},
  }
}
