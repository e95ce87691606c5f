import type { PriceItem } from '../../ports/prices.js'

/**
 * How a price row names an item when its code is not the catalog's: description + unit compared case-,
 * accent- and space-insensitively (`Semen  Portland` = `semen portland` = `SEMEN PORTLAND`, `Kerikil`
 * = `Kérikil`, `m3` = `M3`). Quotes are unified (`1 m’` = `1 m'`).
 */
export function itemKey(description: string, unit: string): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2018\u2019\u2032`]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/\s+/g, '')
      .toLowerCase()
  return `${fold(description)}\u0000${fold(unit)}`
}

/** A price list ready for lookups: by item code first, then by description + unit. */
export interface PriceIndex {
  lookup(itemCode: string, description: string, unit: string): string | undefined
}

export function createPriceIndex(items: readonly PriceItem[]): PriceIndex {
  const byCode = new Map<string, string>()
  const byKey = new Map<string, string>()
  for (const i of items) {
    byCode.set(i.itemCode, i.price)
    const k = itemKey(i.description, i.unit)
    if (!byKey.has(k)) byKey.set(k, i.price)
  }
  return {
    lookup: (itemCode, description, unit) => (itemCode ? byCode.get(itemCode) : undefined) ?? byKey.get(itemKey(description, unit)),
  }
}
