/** The derived search columns of a job, computed by the shared normaliser (see catalog-schema.ts). */
import { createHash } from 'node:crypto'
import type { JobWithComponents } from '../../ports/catalog.js'
import { jobFingerprint } from '../../domain/catalog/canonical-job.js'
import { stemIndonesian } from '../../domain/search/indonesian-stemmer.js'
import { codeKey, codeSortKey, words } from '../../domain/search/normalise.js'
import { headWord, rankPad } from '../../domain/search/ranking.js'
import { CATEGORY_BITS } from './catalog-query.js'

export interface JobRow {
  codeKey: string
  codeSort: string
  searchPad: string
  /** ranking.ts `headWord` of `searchPad`: the lead feature compares it, and the dense plan walks by it. */
  head: string
  tsv: string
  catMask: number
  hash: string
}

export function contentHash(job: JobWithComponents): string {
  return createHash('sha256').update(jobFingerprint(job)).digest('base64url')
}

/** Lexemes of a name: stem and (when different) word at each 1-based position. */
export function nameLexemes(name: string): { stems: string[]; positions: Map<string, number[]> } {
  const raws = words(name)
  const stems = raws.map(stemIndonesian)
  const positions = new Map<string, number[]>()
  const at = (lex: string, p: number) => {
    const list = positions.get(lex)
    if (!list) positions.set(lex, [p])
    else if (list[list.length - 1] !== p) list.push(p)
  }
  raws.forEach((raw, i) => {
    at(stems[i], i + 1)
    at(raw, i + 1)
  })
  return { stems, positions }
}

export function jobRow(job: JobWithComponents): JobRow {
  const { stems, positions } = nameLexemes(job.name)
  // A tsvector literal: lexemes are [a-z0-9]+, so quoting is trivial and no dictionary is involved.
  const tsv = [...positions].map(([lex, ps]) => `'${lex}':${ps.join(',')}`).join(' ')
  let catMask = 0
  for (const c of job.components) catMask |= CATEGORY_BITS[c.category]
  const searchPad = rankPad(stems)
  return {
    codeKey: codeKey(job.code),
    codeSort: codeSortKey(job.code),
    searchPad,
    head: headWord(searchPad),
    tsv,
    catMask,
    hash: contentHash(job),
  }
}
