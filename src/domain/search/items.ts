/**
 * Items (the labour, materials and equipment components name) are searched like job names: description
 * for the name, item code for the code. Their identity is (category, item code, description, unit); that
 * identity, as one string, is also the last key of their order (where jobs use the source), so both
 * adapters order items totally and identically.
 */
const SEP = '\u0001'

export function itemTieBreak(category: string, itemCode: string, description: string, unit: string): string {
  return [category, itemCode, description, unit].join(SEP)
}
