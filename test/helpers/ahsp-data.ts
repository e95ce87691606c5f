/**
 * Test-only loader of the real AHSP TSV export shipped in `data/ahsp/` (gzipped) into `JobWithComponents`.
 * Production import parsing lives in the import use case; this stays deliberately tiny and independent.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { Category, JobWithComponents } from '../../src/ports/catalog.js'

export const AHSP_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/ahsp')

/** A file of the shipped reference by its plain name: `ahsp_jobs.tsv` is read from `ahsp_jobs.tsv.gz`. */
export function readReferenceFile(name: string): Uint8Array<ArrayBuffer> {
  if (name.endsWith('.tsv')) return new Uint8Array(gunzipSync(readFileSync(path.join(AHSP_DATA_DIR, `${name}.gz`))))
  return new Uint8Array(readFileSync(path.join(AHSP_DATA_DIR, name)))
}

function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = new TextDecoder().decode(readReferenceFile(file)).split(/\r?\n/)
  const cols = header.split('\t')
  return lines.filter((l) => l !== '').map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])))
}

let cached: JobWithComponents[] | undefined

/** The 2,305 jobs of SNI 2025 with their 14,036 components, in file order. */
export function loadAhspJobs(): JobWithComponents[] {
  if (cached) return cached
  const byId = new Map<string, JobWithComponents>()
  for (const r of rows('ahsp_jobs.tsv')) {
    byId.set(r.id, {
      source: r.sumber,
      code: r.kode_ahsp,
      name: r.nama_ahsp,
      unit: r.satuan ?? '',
      classification: r.klasifikasi ?? '',
      subClassification: r.sub_klasifikasi ?? '',
      components: [],
    })
  }
  for (const r of rows('ahsp_components.tsv')) {
    byId.get(r.ahsp_id)?.components.push({
      category: r.kategori as Category,
      itemCode: r.kode_item,
      description: r.uraian_item,
      unit: r.satuan_item ?? '',
      coefficient: r.koefisien,
    })
  }
  cached = [...byId.values()]
  return cached
}
