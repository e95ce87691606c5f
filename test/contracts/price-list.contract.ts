/** The PriceListStore contract, run against every adapter with written-out expectations. */
import { afterEach, describe, expect, it } from 'vitest'
import type { PriceItem, PriceListStore } from '../../src/ports/prices.js'

export interface PriceListFactory {
  create(): Promise<{ store: PriceListStore; dispose(): Promise<void> }>
}

const item = (itemCode: string, price: string, description = `item ${itemCode}`, unit = 'OH'): PriceItem => ({ itemCode, description, unit, price })

export function describePriceListContract(name: string, factory: PriceListFactory): void {
  describe(`PriceListStore contract: ${name}`, () => {
    let dispose: (() => Promise<void>) | undefined
    afterEach(async () => {
      await dispose?.()
      dispose = undefined
    })
    async function fresh(): Promise<PriceListStore> {
      const made = await factory.create()
      dispose = made.dispose
      return made.store
    }

    it('a missing list is undefined, version 0, absent from lists(); delete says false', async () => {
      const store = await fresh()
      expect(await store.get('nope')).toBeUndefined()
      expect(await store.version('nope')).toBe(0)
      expect(await store.lists()).toEqual([])
      expect(await store.delete('nope')).toBe(false)
    })

    it('replace creates, then counts created/updated/unchanged/removed; prices come back exactly', async () => {
      const store = await fresh()
      const first = await store.replace('jakarta-2025', [item('TK-0002', '150000'), item('TK-0001', '1250000.5'), item('B-0001', '0.000001')])
      expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, removed: 0 })
      const got = await store.get('jakarta-2025')
      expect(got?.items.map((i) => [i.itemCode, i.price])).toEqual([['B-0001', '0.000001'], ['TK-0001', '1250000.5'], ['TK-0002', '150000']])
      expect(got?.version).toBe(first.version)
      expect(Number.isNaN(Date.parse(got!.updatedAt))).toBe(false)

      const second = await store.replace('jakarta-2025', [item('TK-0001', '1250000.5'), item('TK-0002', '160000'), item('A-0001', '99')])
      expect(second).toMatchObject({ created: 1, updated: 1, unchanged: 1, removed: 1 })
      expect(second.version).toBeGreaterThan(first.version)
      expect(await store.version('jakarta-2025')).toBe(second.version)
      expect((await store.get('jakarta-2025'))?.items.map((i) => i.itemCode)).toEqual(['A-0001', 'TK-0001', 'TK-0002'])
    })

    it('a changed description or unit counts as updated; the last of duplicate codes wins', async () => {
      const store = await fresh()
      await store.replace('l', [item('X', '1', 'Semen', 'kg')])
      expect(await store.replace('l', [item('X', '1', 'Semen', 'zak')])).toMatchObject({ updated: 1 })
      await store.replace('l', [item('Y', '1'), item('Y', '2')])
      expect((await store.get('l'))?.items).toEqual([item('Y', '2')])
    })

    it('lists are sorted with item counts; delete removes; a recreated list gets a never-used version', async () => {
      const store = await fresh()
      const b = await store.replace('b', [item('X', '1')])
      await store.replace('a', [item('X', '1'), item('Y', '2')])
      expect((await store.lists()).map((l) => [l.list, l.items])).toEqual([['a', 2], ['b', 1]])
      expect(await store.delete('b')).toBe(true)
      expect(await store.version('b')).toBe(0)
      expect((await store.lists()).map((l) => l.list)).toEqual(['a'])
      const again = await store.replace('b', [item('X', '1')])
      expect(again).toMatchObject({ created: 1, removed: 0 })
      expect(again.version).toBeGreaterThan(b.version + 1)
    })

    it('an empty replace keeps the list with no items', async () => {
      const store = await fresh()
      await store.replace('l', [item('X', '1')])
      expect(await store.replace('l', [])).toMatchObject({ created: 0, removed: 1 })
      expect((await store.get('l'))?.items).toEqual([])
    })

    it('large lists (3,000 items) round-trip', async () => {
      const store = await fresh()
      const items = Array.from({ length: 3000 }, (_, i) => item(`I-${String(i).padStart(5, '0')}`, `${i}.25`))
      expect(await store.replace('big', items)).toMatchObject({ created: 3000 })
      expect((await store.get('big'))?.items).toEqual(items)
    })
  })
}
