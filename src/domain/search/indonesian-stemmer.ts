/**
 * Indonesian stemmer: the rules of the Snowball `indonesian` algorithm (Tala's Porter-style stemmer for
 * Bahasa Indonesia), which PostgreSQL's `indonesian` text search configuration uses. Matching PostgreSQL
 * rule for rule keeps the memory index and the database in agreement (`Pembuatan` → `buat`); the test
 * `indonesian-stemmer.test.ts` checks it word by word against PostgreSQL on the real catalog.
 *
 * Stripped: particles -kah/-lah/-pun, possessives -ku/-mu/-nya, first-order prefixes di-, ke-, me-, mem-,
 * men-, meng-, meny-, pem-, pen-, peng-, peny-, ter-, second-order prefixes ber-/be-, per-/pe-, suffixes
 * -kan, -an, -i. Not se-: it would turn `semen` (cement) into `men` and `sementara` into `mentara`.
 * Words with two vowels or fewer are left alone, as are words with other letters than a–z.
 *
 * One deliberate departure from Snowball (and so from PostgreSQL): men-/pen- before a vowel restore the t
 * that Indonesian drops there (tulang → penulangan, tutup → penutup, terang → penerangan, tahan →
 * penahan), as Snowball already restores p after mem-/pem- and s after meny-/peny-; and menge-/penge-
 * before a one-syllable root drop whole (`pengecatan` → `cat`, `pengecoran` → `cor`). Without it
 * `penulangan` (rebar) stems to `ulang` and matches `Pengukuran Ulang`. The stemmer test sweeps every word
 * of the shipped reference against PostgreSQL's `indonesian_stem` and allows only this difference.
 */
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])
const isVowel = (ch: string | undefined) => ch !== undefined && VOWELS.has(ch)

/** Prefix kinds, as in the Snowball source: which suffixes each allows. */
const enum Prefix {
  None = 0,
  DiMengTer = 1,
  PePer = 2,
  KePeng = 3,
  Ber = 4,
}

interface State {
  word: string
  measure: number
  prefix: Prefix
  /** A first-order prefix was replaced by a letter (mem- → p, meny- → s): Snowball's cursor then sits
   * after that letter, so no second-order prefix can follow (pemeriksaan → periksa, not iksa). */
  replaced: boolean
}

function removeEnding(s: State, endings: readonly string[]): boolean {
  for (const e of endings) {
    if (s.word.endsWith(e)) {
      s.word = s.word.slice(0, -e.length)
      s.measure--
      return true
    }
  }
  return false
}

function removeSuffix(s: State): boolean {
  const w = s.word
  if (w.endsWith('kan') && s.prefix !== Prefix.KePeng && s.prefix !== Prefix.PePer) {
    s.word = w.slice(0, -3)
  } else if (w.endsWith('an') && s.prefix !== Prefix.DiMengTer) {
    s.word = w.slice(0, -2)
  } else if (w.endsWith('i') && s.prefix <= Prefix.PePer && w[w.length - 2] !== 's') {
    s.word = w.slice(0, -1)
  } else {
    return false
  }
  s.measure--
  return true
}

/** Longest first-order prefix that applies; meny-/peny- only before a vowel (else men-/pen-). */
function removeFirstOrderPrefix(s: State): boolean {
  const w = s.word
  const set = (rest: string, prefix: Prefix, replaced = false) => {
    s.replaced = replaced
    s.word = rest
    s.prefix = prefix
    s.measure--
    return true
  }
  if (w.startsWith('meny') && isVowel(w[4])) return set('s' + w.slice(4), Prefix.DiMengTer, true)
  if (w.startsWith('peny') && isVowel(w[4])) return set('s' + w.slice(4), Prefix.KePeng, true)
  if (w.startsWith('meng')) return set(w.slice(4), Prefix.DiMengTer)
  if (w.startsWith('peng')) return set(w.slice(4), Prefix.KePeng)
  // mem-/pem- before a vowel stand for a dropped p: memukul → pukul.
  if (w.startsWith('mem')) return set(isVowel(w[3]) ? 'p' + w.slice(3) : w.slice(3), Prefix.DiMengTer, isVowel(w[3]))
  if (w.startsWith('pem')) return set(isVowel(w[3]) ? 'p' + w.slice(3) : w.slice(3), Prefix.KePeng, isVowel(w[3]))
  // men-/pen- before a vowel stand for a dropped t (penulangan → tulang, menutup → tutup): Snowball
  // leaves `ulang`, which conflates penulangan (rebar work) with `ulang` (again). See the header.
  if (w.startsWith('men')) return set(isVowel(w[3]) ? 't' + w.slice(3) : w.slice(3), Prefix.DiMengTer, isVowel(w[3]))
  if (w.startsWith('ter')) return set(w.slice(3), Prefix.DiMengTer)
  if (w.startsWith('pen')) return set(isVowel(w[3]) ? 't' + w.slice(3) : w.slice(3), Prefix.KePeng, isVowel(w[3]))
  if (w.startsWith('di') || w.startsWith('me')) return set(w.slice(2), Prefix.DiMengTer)
  if (w.startsWith('ke')) return set(w.slice(2), Prefix.KePeng)
  return false
}

function removeSecondOrderPrefix(s: State): boolean {
  const w = s.word
  if (w.startsWith('belajar') || w.startsWith('pelajar')) {
    s.word = 'ajar' + w.slice(7)
    if (w[0] === 'b') s.prefix = Prefix.Ber
    s.measure--
    return true
  }
  let rest: string
  let prefix: Prefix
  if (w.startsWith('ber')) [rest, prefix] = [w.slice(3), Prefix.Ber]
  else if (w.startsWith('per')) [rest, prefix] = [w.slice(3), Prefix.PePer]
  // be- only in front of a consonant + "er" (bekerja → kerja).
  else if (w.startsWith('be') && w.length > 2 && !isVowel(w[2]) && w.startsWith('er', 3)) {
    ;[rest, prefix] = [w.slice(2), Prefix.Ber]
  } else if (w.startsWith('pe')) [rest, prefix] = [w.slice(2), Prefix.PePer]
  else return false
  s.word = rest
  s.prefix = prefix
  s.measure--
  return true
}

/**
 * Words the rules would conflate with unrelated ones, found by sweeping every word of the shipped reference
 * (stem groups reviewed by hand): `kuningan` (brass) is not `kuning` (yellow), `media` is not `dia`
 * (diameter), roman numerals (`kelas III` is not `kelas II`) are not words with a suffix -i.
 */
export const NOT_DERIVED: ReadonlySet<string> = new Set(['kuningan', 'media'])
const ROMAN = /^[ivxlcdm]+$/

/**
 * menge-/penge- before a one-syllable root (cat, cor, las, bor): `pengecatan` → `cat`, not Snowball's
 * `ecat`, so `cat` finds the painting jobs and `cor` the casting ones.
 */
function monosyllableRoot(word: string): string | undefined {
  if (!word.startsWith('penge') && !word.startsWith('menge')) return undefined
  let root = word.slice(5)
  for (const suffix of ['kan', 'an', 'i']) {
    if (root.endsWith(suffix)) {
      root = root.slice(0, -suffix.length)
      break
    }
  }
  let vowels = 0
  for (const ch of root) if (VOWELS.has(ch)) vowels++
  return root.length >= 2 && root.length <= 3 && vowels === 1 ? root : undefined
}

export function stemIndonesian(word: string): string {
  if (!/^[a-z]+$/.test(word) || NOT_DERIVED.has(word) || ROMAN.test(word)) return word
  const mono = monosyllableRoot(word)
  if (mono !== undefined) return mono
  let measure = 0
  for (const ch of word) if (VOWELS.has(ch)) measure++
  if (measure <= 2) return word
  const s: State = { word, measure, prefix: Prefix.None, replaced: false }
  removeEnding(s, ['kah', 'lah', 'pun'])
  if (s.measure <= 2) return s.word
  removeEnding(s, ['nya', 'ku', 'mu'])
  if (s.measure <= 2) return s.word
  if (removeFirstOrderPrefix(s)) {
    if (s.measure > 2 && removeSuffix(s) && s.measure > 2 && !s.replaced) removeSecondOrderPrefix(s)
  } else {
    removeSecondOrderPrefix(s)
    if (s.measure > 2) removeSuffix(s)
  }
  return s.word
}
