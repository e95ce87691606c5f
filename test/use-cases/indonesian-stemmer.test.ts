import { afterAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { NOT_DERIVED, stemIndonesian } from '../../src/domain/search/indonesian-stemmer.js'
import { words } from '../../src/domain/search/normalise.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { TEST_DATABASE_URL } from '../helpers/services.js'

describe('stemIndonesian', () => {
  it.each([
    ['pembuatan', 'buat'],
    ['pemasangan', 'pasang'],
    ['pasangan', 'pasang'],
    ['penggalian', 'gali'],
    ['pengecatan', 'cat'],
    ['pengecoran', 'cor'],
    ['pengeringan', 'ering'],
    ['perbaikan', 'baik'],
    ['memukul', 'pukul'],
    ['menyapu', 'sapu'],
    ['bekerja', 'kerja'],
    ['pemeriksaan', 'periksa'],
    ['semen', 'semen'],
    ['sementara', 'sementara'],
    ['beton', 'beton'],
    ['penulangan', 'tulang'],
    ['tulangan', 'tulang'],
    ['penutup', 'tutup'],
    ['penerangan', 'terang'],
    ['pengukuran', 'ukur'],
    ['kuningan', 'kuningan'],
    ['iii', 'iii'],
    ['media', 'media'],
  ])('%s → %s', (word, stem) => expect(stemIndonesian(word)).toBe(stem))

  it('leaves words with digits or non a–z letters alone', () => {
    expect(stemIndonesian('m3')).toBe('m3')
    expect(stemIndonesian('pembuatan2')).toBe('pembuatan2')
  })

  it('does not conflate the words estimators told apart (issue 15)', () => {
    const differ = (a: string, b: string) => expect(stemIndonesian(a)).not.toBe(stemIndonesian(b))
    differ('penulangan', 'ulang')
    differ('kuningan', 'kuning')
    differ('iii', 'ii')
    differ('media', 'dia')
    differ('semen', 'sementara')
  })

  // PostgreSQL's `indonesian` config is the reference: every word of the real catalog, plus affix
  // combinations, must stem the same way, except the documented departures (men-/pen- + vowel restore the
  // t; words that are not derived forms), so users get what PostgreSQL full-text search would give.
  const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
  afterAll(() => sql.end())

  it('agrees with PostgreSQL indonesian_stem on every word of the real data and on affix combinations', async () => {
    const set = new Set<string>()
    for (const j of loadAhspJobs()) {
      for (const w of words(j.name)) set.add(w)
      for (const c of j.components) for (const w of words(c.description)) set.add(w)
    }
    for (const p of ['', 'me', 'mem', 'men', 'meng', 'meny', 'pe', 'pem', 'pen', 'peng', 'peny', 'ber', 'be', 'ter', 'di', 'ke', 'per', 'memper', 'diper']) {
      for (const root of ['pasang', 'buat', 'ajar', 'kerja', 'sapu', 'ukur', 'isi', 'gali', 'olah', 'tulis']) {
        for (const s of ['', 'kan', 'an', 'i', 'nya', 'lah', 'kah', 'annya', 'kannya']) set.add(p + root + s)
      }
    }
    const list = [...set].filter((w) => /^[a-z]+$/.test(w))
    await sql`select 1` // postgres.js learns the array types on its first query
    const rows = await sql<{ w: string; l: string[] | null }[]>`
      select w, ts_lexize('indonesian_stem', w) as l from unnest(${sql.array(list)}::text[]) w`
    const departure = (w: string, pg: string, ours: string) =>
      (/^(men|pen)[aeiou]/.test(w) && ours.startsWith('t') && ours.slice(1).startsWith(pg.slice(0, Math.max(1, pg.length - 3)))) ||
      NOT_DERIVED.has(w) ||
      (/^(menge|penge)/.test(w) && ours.length <= 3) ||
      /^[ivxlcdm]+$/.test(w)
    const differences = rows.filter((r) => (r.l?.[0] ?? r.w) !== stemIndonesian(r.w))
    const mismatches = differences
      .filter((r) => !departure(r.w, r.l?.[0] ?? r.w, stemIndonesian(r.w)))
      .map((r) => `${r.w}: ${r.l?.[0]} vs ${stemIndonesian(r.w)}`)
    expect(list.length).toBeGreaterThan(2500)
    expect(mismatches).toEqual([])
    // Few: 13 words of the reference (penulangan, penutup, penerangan…) and the men-/pen- + vowel rows of
    // the generated affix combinations above.
    expect(differences.length).toBeLessThan(100)
  })
})
