/**
 * Exact decimal reading for coefficients: text in, canonical decimal text out, never through a float,
 * so `0,0387` stays `0.0387` and `83349` stays `83349`.
 *
 * Accepted spellings (spaces and no-break spaces inside are thousand separators and dropped):
 * - one kind of separator, once: it is the decimal mark (`0.0387`, `0,0387`, `1,5`) — Indonesian
 *   spreadsheets write decimal commas, English ones decimal points;
 * - one kind, several times: thousand separators, groups of three (`1.234.567`, `1,234,567`);
 * - both kinds: the last one is the decimal mark, the other groups thousands (`1.234,56`, `1,234.56`);
 * - an optional sign and exponent (`1.5E-3`, as spreadsheets write small numbers).
 */
const MAX_DIGITS = 40

const GROUPED = /^\d{1,3}(?:[.,]\d{3})+$/
const EXPONENT = /^([+-]?[\d.,]+)[eE]([+-]?\d{1,3})$/

/** The canonical decimal text (`-12.5`, `0.0387`, `83349`, `0`), or `undefined` when not a number. */
export function parseDecimal(input: string): string | undefined {
  const text = input.replace(/[\s\u00a0\u202f']/g, '')
  if (text === '') return undefined
  const exp = EXPONENT.exec(text)
  if (exp) {
    const mantissa = parseDecimal(exp[1])
    return mantissa === undefined ? undefined : shift(mantissa, Number(exp[2]))
  }
  let sign = ''
  let body = text
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? '-' : ''
    body = body.slice(1)
  }
  if (!/^[\d.,]+$/.test(body) || !/\d/.test(body)) return undefined
  const dots = count(body, '.')
  const commas = count(body, ',')
  let intPart: string
  let fracPart = ''
  if (dots > 0 && commas > 0) {
    const mark = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ','
    const at = body.lastIndexOf(mark)
    const grouped = body.slice(0, at)
    if (count(grouped, mark) > 0 || !GROUPED.test(grouped)) return undefined
    intPart = grouped.replace(/[.,]/g, '')
    fracPart = body.slice(at + 1)
    if (!/^\d*$/.test(fracPart)) return undefined
  } else if (dots + commas === 1) {
    const at = body.search(/[.,]/)
    intPart = body.slice(0, at)
    fracPart = body.slice(at + 1)
  } else if (dots + commas > 1) {
    if (!GROUPED.test(body)) return undefined
    intPart = body.replace(/[.,]/g, '')
  } else {
    intPart = body
  }
  if (intPart === '' && fracPart === '') return undefined
  if (intPart.length + fracPart.length > MAX_DIGITS) return undefined
  return canonical(sign, intPart, fracPart)
}

function count(s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++
  return n
}

function canonical(sign: string, intPart: string, fracPart: string): string {
  const i = intPart.replace(/^0+/, '') || '0'
  const f = fracPart.replace(/0+$/, '')
  const out = f ? `${i}.${f}` : i
  return out === '0' ? '0' : sign + out
}

/** Multiply a canonical decimal by 10^e by moving the point. */
function shift(value: string, e: number): string | undefined {
  const sign = value.startsWith('-') ? '-' : ''
  const [i, f = ''] = value.replace('-', '').split('.')
  let digits = i + f
  let point = i.length + e
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length)
  if (digits.replace(/^0+/, '').length > MAX_DIGITS) return undefined
  return canonical(sign, digits.slice(0, point), digits.slice(point))
}

/**
 * A spreadsheet's numeric cell (`<v>` holds the shortest text of an IEEE double, e.g. `0.30000000000000004`
 * or `1.2E-3`) as the decimal a person typed: 15 significant digits, as Excel displays it.
 */
export function spreadsheetNumber(raw: string): string | undefined {
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n)) return undefined
  return parseDecimal(n.toPrecision(15))
}

/**
 * Exact arithmetic on decimals (prices, coefficients, volumes): `units / 10^scale` with BigInt units, so
 * no operation ever goes through a float and nothing is rounded until `roundHalfUp`/`roundToMultiple` is
 * called. Parse once with `dec`, compute, print once with `decText` (canonical text, as `parseDecimal`).
 */
export interface Dec {
  readonly units: bigint
  readonly scale: number
}

export const ZERO: Dec = { units: 0n, scale: 0 }
const POW10: bigint[] = []
function pow10(n: number): bigint {
  return (POW10[n] ??= 10n ** BigInt(n))
}

/** A canonical decimal text (what `parseDecimal` returns) as a `Dec`; throws on anything else. */
export function dec(text: string): Dec {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) throw new RangeError(`not a canonical decimal: "${text}"`)
  const frac = m[3] ?? ''
  const units = BigInt(m[2] + frac)
  return { units: m[1] ? -units : units, scale: frac.length }
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.units, b.units, a.scale]
  return a.scale > b.scale ? [a.units, b.units * pow10(a.scale - b.scale), a.scale] : [a.units * pow10(b.scale - a.scale), b.units, b.scale]
}

export function decAdd(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b)
  return { units: x + y, scale }
}

export function decMul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale }
}

/** `a / 100`, exact (moves the point). */
export function decPercent(a: Dec): Dec {
  return { units: a.units, scale: a.scale + 2 }
}

export function decCompare(a: Dec, b: Dec): number {
  const [x, y] = align(a, b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Rounded half away from zero (the usual "half-up" of money) to `places` decimals (≥ 0). */
export function roundHalfUp(a: Dec, places: number): Dec {
  if (a.scale <= places) return a
  const div = pow10(a.scale - places)
  const abs = a.units < 0n ? -a.units : a.units
  const q = (abs + div / 2n) / div
  return { units: a.units < 0n ? -q : q, scale: places }
}

/** Rounded half-up to the nearest multiple of `base` (> 0), e.g. to 1,000 rupiah or to 0.05. */
export function roundToMultiple(a: Dec, base: Dec): Dec {
  if (base.units <= 0n) throw new RangeError('rounding base must be positive')
  const [x, b, scale] = align(a, base)
  const abs = x < 0n ? -x : x
  const q = (abs * 2n + b) / (b * 2n)
  return { units: (x < 0n ? -q : q) * b, scale }
}

/** Canonical text: no trailing fractional zeros, no leading zeros, `0` for zero. */
export function decText(a: Dec): string {
  if (a.units === 0n) return '0'
  const neg = a.units < 0n
  let digits = (neg ? -a.units : a.units).toString()
  let scale = a.scale
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    scale--
  }
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0')
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  }
  return neg ? `-${digits}` : digits
}
