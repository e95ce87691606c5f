/**
 * Spellings and spec tokens written several ways, folded to one form on both sides (names when indexed,
 * queries when parsed), before words are split. Runs on lower-cased, accent-folded text.
 *
 * | written                                  | becomes        |
 * |------------------------------------------|----------------|
 * | `f'c 25`, `f’c`, `fc’ 17`, `f c`         | `fc 25`        |
 * | `1:4`, `1 PC : 4 PP`, `1SP:4PP`           | `1 rasio 4` (one phrase; not `1-1/4"`) |
 * | `Ø10`, `ø 10`, `⌀10`                     | `d 10` (= `D10`) |
 * | `40 x 40`, `40×40`                         | `40x40`        |
 * | `wire mesh`, `water proofing`             | `wiremesh`, `waterproofing` |
 * | `alumunium`, `pondasi`, `urugan`, `plafond`, `gipsum`, `kloset` | `aluminium`, `fondasi`, `urukan`, `plafon`, `gypsum`, `closet` |
 * | `rooster` (the Dutch spelling the reference writes: `Dinding Kerawang (Rooster)`) | `roster` (the Indonesian one estimators type) |
 * Letters and digits are then split apart by `words()` (`fc25` = `fc 25`, `K225` = `K-225`, `D13` = `d 13`,
 * `40x40` = `40 x 40`, `m2` = `m²` = `m 2`).
 */
const RULES: [RegExp, string][] = [
  [/\bf\s*['’‘`´]\s*c\b\s*['’‘`´]?/g, 'fc '],
  [/\bfc\s*['’‘`´]/g, 'fc '],
  // A grade and its number as one token (split again into one phrase): `fc 25` = `fc25`, `K-225` = `K225`.
  [/\bfc\s*=?\s*(?=\d)/g, 'fc'],
  [/\bk\s*-?\s*(?=\d{3}\b)/g, 'k'],
  // Quoted: a query reads the ratio as one phrase; in a name quotes are separators like the colon was.
  [/(\d+)\s*(?:pc|sp|semen)?\s*:\s*(\d+)\s*(?:pp|ps|pasir)?(?![a-z])/g, ' "$1 rasio $2" '],
  [/[ø⌀∅]\s*/g, ' d'],
  // `40 x 40` → `40x40`: one token, split again into one phrase `40 x 40` (a query reads it as one).
  [/(\d)\s*[x×]\s*(?=\d)/g, '$1x'],
  [/\bwire\s*-?\s*mesh/g, 'wiremesh'],
  [/\bwater\s*-?\s*proofing/g, 'waterproofing'],
  [/\balumunium\b|\balmunium\b/g, 'aluminium'],
  [/\bpondasi\b/g, 'fondasi'],
  [/\burug(an)?\b/g, 'uruk$1'],
  [/\bplafond\b/g, 'plafon'],
  [/\bgipsum\b/g, 'gypsum'],
  [/\bkloset\b/g, 'closet'],
  [/\brooster\b/g, 'roster'],
]

const HAS_RULE = /\bfc|\bk\s*-?\s*\d|['’‘`´:ø⌀∅×]|\d\s*x|wire|water|alum|almun|pondasi|urug|plafond|gipsum|kloset|rooster/

export function foldSpellings(folded: string): string {
  if (!HAS_RULE.test(folded)) return folded
  let s = folded
  for (const [re, to] of RULES) s = s.replace(re, to)
  return s
}
