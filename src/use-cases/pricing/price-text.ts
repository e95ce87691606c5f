import { parseDecimal } from '../import/decimal.js'

/**
 * A price as typed in an Indonesian price list, read exactly (never through a float).
 *
 * - An optional `Rp`/`IDR` prefix and spaces are dropped: `Rp 1.250.000` → `1250000`.
 * - Both `.` and `,`: the last one is the decimal mark: `1.250.000,50` and `1,250,000.50` → `1250000.5`.
 * - One kind repeated: thousand separators in groups of three: `1.250.000` → `1250000`.
 * - One separator once, followed by **exactly three digits** (`1.250`, `1,250`): ambiguous (thousand
 *   separator or decimal mark). Rupiah prices are rarely fractional, so it is read as a **thousand
 *   separator** (`1250`) and a warning says so; write `1250`, `1.250,00` or `1,25` to be explicit.
 * - One separator followed by one, two or more than three digits is the decimal mark: `12,5`, `7.25`.
 * Negative or unreadable prices are errors.
 */
export type PriceReading = { price: string; warning?: string } | { error: string }

const AMBIGUOUS = /^\d{1,3}[.,]\d{3}$/

export function readPrice(input: string | number, numeric = false): PriceReading {
  if (typeof input === 'number') {
    // JSON numbers: the shortest text of the double, as the sender wrote it (integers and short decimals).
    if (!Number.isFinite(input)) return { error: 'price is not a finite number' }
    return check(parseDecimal(String(input)), String(input))
  }
  // A spreadsheet number cell arrives as canonical text (`1250.5`): nothing to interpret.
  if (numeric) return check(parseDecimal(input), input)
  const text = input.replace(/^\s*(?:rp\.?|idr)\s*/i, '').replace(/[\s\u00a0\u202f]/g, '')
  if (text === '') return { error: 'missing price' }
  if (AMBIGUOUS.test(text)) {
    const price = parseDecimal(text.replace(/[.,]/, ''))!
    return { price, warning: `ambiguous price "${input.trim()}" read as ${price} (a single . or , before exactly three digits is a thousand separator); write ${price} or ${text.replace(/[.,]/, '.')},00 to be explicit` }
  }
  return check(parseDecimal(text), input)
}

function check(price: string | undefined, input: string): PriceReading {
  if (price === undefined) return { error: `unreadable price "${input.trim()}"` }
  if (price.startsWith('-')) return { error: `negative price "${input.trim()}"` }
  return { price }
}
