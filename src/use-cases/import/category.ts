import type { Category } from '../../ports/catalog.js'

const NAMES: Record<string, Category> = {}
const add = (category: Category, names: string[]) => names.forEach((n) => (NAMES[n] = category))
add('TK', ['tk', 'tenaga kerja', 'tenaga', 'upah', 'pekerja', 'labour', 'labor', 'l'])
add('BHN', ['bhn', 'bahan', 'material', 'materials', 'b', 'm'])
add('ALT', ['alt', 'alat', 'peralatan', 'equipment', 'pr', 'e'])
add('LAIN', ['lain', 'lainnya', 'lain lain', 'other', 'others', 'ln'])

/**
 * `Tenaga Kerja`/`upah`/`TK` → TK, `Bahan`/`material`/`BHN` → BHN, `Peralatan`/`alat`/`ALT` → ALT,
 * anything else → LAIN. `known` is false when the text was empty or not recognised (the row is still
 * imported as LAIN, and the importer reports a warning so the guess is visible).
 */
export function normaliseCategory(text: string): { category: Category; known: boolean } {
  const key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()
  const category = NAMES[key]
  return category ? { category, known: true } : { category: 'LAIN', known: false }
}
