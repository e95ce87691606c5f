/**
 * Trade vocabulary beside the standard's own words, applied to queries on every adapter (the parser runs
 * it, before words are read): a phrase of the left column also finds the right column (`a` becomes
 * `"a" OR "b"`). Kept small and written out, so a reader can check each line:
 *
 * | estimators write | the SNI 2025 reference says | why |
 * |---|---|---|
 * | hebel | bata ringan | a brand name used for autoclaved aerated concrete blocks |
 * | batu kali | batu belah | river stone, split for masonry foundations |
 * | pembesian | penulangan | rebar work (besi beton) |
 * | cor | pengecoran | casting concrete (cor beton) |
 * | rabat beton | beton kurus | lean concrete (a thin unreinforced floor or path): the reference's `Beton Kurus` |
 * | rabat | lantai kerja | lean-concrete floor under a slab or footing |
 * | plester dinding | plesteran | wall rendering: the reference names the work `Plesteran`, the wall being understood |
 * | panel listrik | distribution panel | the electrical panel of a building, its everyday name: the reference writes `Main / Sub Distribution Panel (MDP/SDP)` |
 * | plat | slab | a floor slab: the reference writes both (`bekisting plat lantai`, `penulangan slab`) |
 * | proyek | pekerjaan | the project (`papan nama proyek`) |
 * | besi beton | penulangan | "pekerjaan besi beton" is rebar work |
 * | spandek, galvalum | atap metal | metal roof sheet, by its trade names |
 * | wc | closet | the fixture by its everyday name |
 * | apar | fire extinguisher | Alat Pemadam Api Ringan |
 * | ac split | ac wall mounted | a split unit is the wall-mounted one |
 * | penangkal petir | air terminal | the lightning rod |
 * | kran air | kran | the water tap: the reference names the fixture only (`Pemasangan 1 buah Kran`) |
 * | curing | permukaan beton | curing concrete: the reference writes the wetting of the concrete surface (`Menyirami … permukaan beton`) |
 * | K-100 … K-400 | f'c 7,5 … f'c 35 | old cube grades (kg/cm²) beside the cylinder strength in MPa of the new standard: the Permen PUPR 28/2016 equivalents (K-225 ≈ f'c 19,3) rounded to the nearest class the reference has |
 *
 * Spellings of one word (`pondasi`/`fondasi`, `urugan`/`urukan`, `f'c`/`fc`) are folded on both sides
 * instead: see spellings.ts.
 */
const K_GRADES: [number, string][] = [
  [100, '7 5'], [125, '10'], [150, '10'], [175, '15'], [200, '17'], [225, '20'], [250, '21'], [275, '25'],
  [300, '25'], [325, '28'], [350, '31'], [400, '35'],
]

export const SYNONYMS: readonly [string, string][] = [
  ['hebel', 'bata ringan'],
  ['batu kali', 'batu belah'],
  ['pembesian', 'penulangan'],
  ['cor', 'pengecoran'],
  // Longer phrases first: once replaced, a phrase is quoted and no later (shorter) rule matches inside it.
  ['rabat beton', 'beton kurus'],
  ['rabat', 'lantai kerja'],
  ['plester dinding', 'plesteran'],
  ['panel listrik', 'distribution panel'],
  ['plat', 'slab'],
  ['proyek', 'pekerjaan'],
  ['besi beton', 'penulangan'],
  ['spandek', 'atap metal'],
  ['galvalum', 'atap metal'],
  ['wc', 'closet'],
  ['apar', 'fire extinguisher'],
  ['ac split', 'ac wall mounted'],
  ['penangkal petir', 'air terminal'],
  ['kran air', 'kran'],
  ['curing', 'permukaan beton'],
  ...K_GRADES.map(([k, fc]): [string, string] => [`k ${k}`, `fc ${fc}`]),
]

/** A phrase as a pattern: its words separated by spaces or dashes, standing alone (not negated, not quoted). */
const RULES = SYNONYMS.map(([from, to]) => ({
  re: new RegExp(`(^|\\s)${from.split(' ').join('[\\s-]*')}(?=\\s|$)`, 'g'),
  to: `$1"${from}" OR "${to}"`,
}))

/** `text` lower-cased and spelling-folded (see parseQuery). */
export function expandSynonyms(text: string): string {
  let s = text
  for (const { re, to } of RULES) s = s.replace(re, to)
  return s
}
