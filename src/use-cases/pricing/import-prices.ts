import { UnprocessableError, ValidationError } from '../../domain/errors.js'
import type { CatalogItem, CatalogStore } from '../../ports/catalog.js'
import { PRICE_LIST_NAME, type PriceItem, type PriceListStore } from '../../ports/prices.js'
import type { RowIssue } from '../import/rows-to-jobs.js'
import { readTable, type Upload } from '../import/parse-upload.js'
import { itemKey } from './item-key.js'
import { priceRowsOfJson, priceRowsOfTable, type PriceRow } from './price-rows.js'
import { readPrice } from './price-text.js'

/** How one row was matched to a catalog item. */
export interface RowMatch {
  row: number
  /** The catalog item code the price was stored under. */
  itemCode: string
  /** `itemCode`: the row's code is a catalog code; `description`: its description + unit matched. */
  by: 'itemCode' | 'description'
}

/** What `PUT /prices/:list` answers. */
export interface PriceImportReport {
  list: string
  items: { created: number; updated: number; unchanged: number; removed: number }
  errors: RowIssue[]
  warnings: RowIssue[]
  /** Per imported row, how it was matched (`matchedBy` counts them). */
  matches: RowMatch[]
  matchedBy: { itemCode: number; description: number }
}

export type PriceInput = { json: unknown } | { file: Upload }

export interface ImportPricesDeps {
  prices: PriceListStore
  catalog: CatalogStore
  /** After the list changed (replaced or deleted), with its new version (0 = deleted): publish it. */
  onChanged?: (list: string, version: number) => Promise<void>
}

const MAX_REPORTED = 1000

export function checkListName(list: string): string {
  if (!PRICE_LIST_NAME.test(list)) throw new ValidationError('A price list name is 1–64 characters [A-Za-z0-9._-]')
  return list
}

/**
 * Read rows (JSON or an uploaded .csv/.tsv/.xlsx), read each price exactly, match each row to a catalog
 * item (by code, else description + unit), then replace the list with the rows that matched. Rows that
 * cannot be read or matched are reported as errors with their row numbers; the rest are imported.
 */
export function createImportPrices(deps: ImportPricesDeps) {
  return async function importPrices(rawList: string, input: PriceInput): Promise<PriceImportReport> {
    const list = checkListName(rawList)
    const { rows, errors } = 'json' in input ? priceRowsOfJson(input.json) : priceRowsOfTable(await readTable(input.file))
    const warnings: RowIssue[] = []
    const catalog = catalogIndex(await deps.catalog.items())
    const matches: RowMatch[] = []
    const items: PriceItem[] = []
    const seen = new Map<string, number>()
    for (const r of rows) {
      const reading = readPrice(r.price, r.numeric)
      if ('error' in reading) {
        errors.push({ row: r.row, message: reading.error })
        continue
      }
      const match = matchRow(r, catalog, warnings)
      if ('error' in match) {
        errors.push({ row: r.row, message: match.error })
        continue
      }
      if (reading.warning) warnings.push({ row: r.row, message: reading.warning })
      const earlier = seen.get(match.item.itemCode)
      if (earlier !== undefined) warnings.push({ row: r.row, message: `same item as row ${earlier} (${match.item.itemCode}); this row's price wins` })
      seen.set(match.item.itemCode, r.row)
      matches.push({ row: r.row, itemCode: match.item.itemCode, by: match.by })
      items.push({ itemCode: match.item.itemCode, description: match.item.description, unit: match.item.unit, price: reading.price })
    }
    if (items.length === 0 && rows.length + errors.length > 0) {
      throw new UnprocessableError('No row of the price list could be imported; nothing changed', errors.slice(0, MAX_REPORTED))
    }
    const summary = await deps.prices.replace(list, items)
    await deps.onChanged?.(list, summary.version)
    errors.sort((a, b) => a.row - b.row)
    return {
      list,
      items: { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, removed: summary.removed },
      errors: errors.slice(0, MAX_REPORTED),
      warnings: warnings.slice(0, MAX_REPORTED),
      matches,
      matchedBy: { itemCode: matches.filter((m) => m.by === 'itemCode').length, description: matches.filter((m) => m.by === 'description').length },
    }
  }
}

interface CatalogIndex {
  byCode: Map<string, CatalogItem>
  byKey: Map<string, CatalogItem>
}

function catalogIndex(items: readonly CatalogItem[]): CatalogIndex {
  const byCode = new Map<string, CatalogItem>()
  const byKey = new Map<string, CatalogItem>()
  for (const i of items) {
    if (i.itemCode && !byCode.has(i.itemCode)) byCode.set(i.itemCode, i)
    const k = itemKey(i.description, i.unit)
    if (!byKey.has(k)) byKey.set(k, i)
  }
  return { byCode, byKey }
}

function matchRow(r: PriceRow, catalog: CatalogIndex, warnings: RowIssue[]): { item: CatalogItem; by: RowMatch['by'] } | { error: string } {
  const byCode = r.itemCode ? catalog.byCode.get(r.itemCode) : undefined
  const byKey = r.description ? catalog.byKey.get(itemKey(r.description, r.unit)) : undefined
  if (byCode) {
    if (r.description && itemKey(r.description, r.unit) !== itemKey(byCode.description, byCode.unit)) {
      warnings.push({ row: r.row, message: `item code ${r.itemCode} is "${byCode.description}" (${byCode.unit}) in the catalog, not "${r.description}" (${r.unit}); matched by code` })
    }
    return { item: byCode, by: 'itemCode' }
  }
  if (byKey) return { item: byKey, by: 'description' }
  if (!r.itemCode && !r.description) return { error: 'no itemCode and no description: cannot tell which item this price is for' }
  const named = [r.itemCode && `code ${r.itemCode}`, r.description && `"${r.description}" (${r.unit || 'no unit'})`].filter(Boolean).join(' or ')
  return { error: `no catalog item with ${named}` }
}

export type ImportPrices = ReturnType<typeof createImportPrices>
