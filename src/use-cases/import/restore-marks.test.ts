import { describe, expect, it } from 'vitest'
import { restoreMetreMarks } from './restore-marks.js'
import type { JobWithComponents } from '../../ports/catalog.js'

const job = (name: string, unit: string, itemUnit: string): JobWithComponents => ({
  source: 'S', code: '1', name, unit, classification: '', subClassification: '',
  components: [{ category: 'BHN', itemCode: '', description: 'Kawat duri', unit: itemUnit, coefficient: '1' }],
})

describe('restoreMetreMarks', () => {
  it('puts m’ back where the held job reads the same with m’, and lists each cell', () => {
    const held = job('Pagar 1 m’ kawat', 'm’', 'm’')
    const incoming = job('Pagar 1 m3 kawat', 'm3', 'm3')
    const checked = [{ row: 7, component: incoming.components[0], job: 'S\u00001' }]
    const repairs = restoreMetreMarks([incoming], checked, new Map([['S\u00001', held]]), new Map([['S\u00001', held.components]]))
    expect(incoming).toMatchObject({ name: 'Pagar 1 m’ kawat', unit: 'm’', components: [{ unit: 'm’' }] })
    expect(repairs).toEqual([{ row: 7, from: 'Pagar 1 m3 kawat', to: 'Pagar 1 m’ kawat' }, { row: 7, from: 'm3', to: 'm’' }, { row: 7, from: 'm3', to: 'm’' }])
  })

  it('leaves m3 alone without such a held twin, or when the held text differs otherwise', () => {
    const incoming = job('Beton 1 m3 fc 25', 'm3', 'm3')
    const checked = [{ row: 2, component: incoming.components[0], job: 'S\u00001' }]
    expect(restoreMetreMarks([incoming], checked, new Map(), new Map())).toEqual([])
    const other = job('Beton 1 m’ fc 30', 'm2', 'kg')
    expect(restoreMetreMarks([incoming], checked, new Map([['S\u00001', other]]), new Map([['S\u00001', other.components]]))).toEqual([])
    expect(incoming.name).toBe('Beton 1 m3 fc 25')
  })
})
