import { afterAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { stemIndonesian } from '../../src/domain/search/indonesian-stemmer.js'
import { words } from '../../src/domain/search/normalise.js'
import { loadAhspJobs } from '../helpers/ahsp-data.js'
import { TEST_DATABASE_URL } from '../helpers/services.js'

describe('stemIndonesian', () => {
  it.each([
    ['pembuatan', 'buat'],
    ['pemasangan', 'pasang'],
    ['pasangan', 'pasang'],
    ['penggalian', 'gali'],
    ['pengecatan', 'ecat'],
    ['perbaikan', 'baik'],
    ['memukul', 'pukul'],
    ['menyapu', 'sapu'],
    ['bekerja', 'kerja'],
    ['pemeriksaan', 'periksa'],
    ['semen', 'semen'],
    ['sementara', 'sementara'],
    ['beton', 'beton'],
  ])('%s → %s', (word, stem) => expect(stemIndonesian(word)).toBe(stem))

  it('leaves words with digits or non a–z letters alone', () => {
    expect(stemIndonesian('m3')).toBe('m3')
    expect(stemIndonesian('pembuatan2')).toBe('pembuatan2')
  })

  // PostgreSQL's `indonesian` config is the reference: every word of the real catalog, plus affix
  // combinations, must stem the same way, so users get what PostgreSQL full-text search would give.
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
    const mismatches = rows.filter((r) => (r.l?.[0] ?? r.w) !== stemIndonesian(r.w)).map((r) => `${r.w}: ${r.l?.[0]} vs ${stemIndonesian(r.w)}`)
    expect(list.length).toBeGreaterThan(2500)
    expect(mismatches).toEqual([])
  })
})
