import { describe, expect, it } from 'vitest'
import { parseQuery } from './query-parser.js'
import { earlyEnd, rankFeatures, rankPad, rankProbe } from './ranking.js'
import { searchTokens } from './normalise.js'

const pad = (name: string) => rankPad(searchTokens(name))
const early = (q: string, name: string) => rankFeatures(rankProbe(parseQuery(q)), '', pad(name), '').early

describe('ranking: early (the words a name starts with)', () => {
  it('ends after the first n words and their spaces (what split_part sums in SQL)', () => {
    expect(earlyEnd(' a bb ccc dd ', 2)).toBe(5)
    expect(earlyEnd(' a bb ccc dd ', 3)).toBe(9)
    // Fewer words than asked: every word is within.
    expect(earlyEnd(' a bb ', 5)).toBe(5)
  })

  it('every query word begins within the first query-words + 1 words, quantities left out', () => {
    expect(early('urugan pasir', '1 m3 Urukan dengan Pasir Uruk')).toBe(1)
    expect(early('urugan pasir', '1 m3 Urukan tanah biasa atau tanah liat berpasir')).toBe(0)
    expect(early('pasang bata', 'Pemasangan 1 m2 Dinding Bata Merah')).toBe(1)
    expect(early('pasang bata', 'Pemasangan 1 Buah Bak Mandi Pasangan Bata')).toBe(0)
    // A synonym's phrase, a type-ahead prefix.
    expect(early('pondasi batu kali', 'Pemasangan 1 m3 Fondasi Batu Belah campuran 1 SP : 6 PP')).toBe(1)
    expect(early('plafon gyp', 'Pemasangan 1 m2 Plafon Gypsum')).toBe(1)
  })

  it('one-word queries, codes, over 6 words or over 2 alternatives in a clause: not measured', () => {
    for (const q of ['bata', '2.2 bata', 'a b c d e f g', 'bata OR batu OR batako merah']) {
      expect(rankProbe(parseQuery(q)).early, q).toBeUndefined()
    }
    expect(rankProbe(parseQuery('bata OR batu merah')).early).toBeDefined()
  })
})
