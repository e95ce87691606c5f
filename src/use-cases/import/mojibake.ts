import type { Table } from './table.js'

/** The byte CP-1252 shows as each of its 0x80–0x9F characters (the rest of Latin-1 is the byte itself). */
const CP1252: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a,
  '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
  '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}
const HIGH = `\\u0080-\\u00ff${Object.keys(CP1252).join('')}`
/** A run that could be UTF-8 read as CP-1252/Latin-1: a lead byte (Â…ô) and at least one continuation. */
const RUN = new RegExp(`[\\u00c2-\\u00f4][${HIGH}]+`, 'g')
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Text that was UTF-8 read as CP-1252 (or Latin-1) back to what it said: `â‰¥` → `≥`, `Â±` → `±`, `mÂ³` → `m³`.
 * Only runs whose bytes are well-formed UTF-8 are replaced (the decoder is strict), so real Latin-1 text
 * (`café`, `Ø10`) is left alone: a lone `é` or `Ø` is not a UTF-8 sequence.
 */
export function repairMojibake(text: string): string {
  if (!/[\u00c2-\u00f4]/.test(text)) return text
  return text.replace(RUN, (run) => {
    const bytes = Uint8Array.from(run, (ch) => CP1252[ch] ?? ch.charCodeAt(0))
    try {
      return utf8.decode(bytes)
    } catch {
      return run
    }
  })
}

export interface TextRepair {
  row: number
  from: string
  to: string
}

/** Repairs every cell in place; what changed, by row, in file order. */
export function repairTable(table: Table): TextRepair[] {
  const repairs: TextRepair[] = []
  for (const row of table.rows) {
    row.cells.forEach((cell, i) => {
      const fixed = repairMojibake(cell)
      if (fixed !== cell) {
        row.cells[i] = fixed
        repairs.push({ row: row.row, from: cell, to: fixed })
      }
    })
  }
  return repairs
}
