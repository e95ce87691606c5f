/**
 * Test-only loader of the real AHSP TSV export (`../shared/data/ahsp/`, never copied into the repo) into
 * `JobWithComponents`. Production import parsing lives in the import use case; this stays deliberately tiny.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { Category, JobWithComponents } from '../../src/ports/catalog.js'

export const AHSP_DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data/ahsp',
)

function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(AHSP_DATA_DIR, file), 'utf8').split(/\r?\n/)
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
