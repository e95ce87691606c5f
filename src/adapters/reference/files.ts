import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ReferenceFiles } from '../../ports/reference.js'

/** `data/ahsp/` of this checkout (the repository ships it; see its README). */
const DIR = new URL('../../../data/ahsp/', import.meta.url)

/** The gzipped TSV export of the SNI 2025 reference, read from the repository's `data/ahsp/`. */
export function readShippedReference(): ReferenceFiles {
  const read = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(name, DIR))))
  return { jobs: read('ahsp_jobs.tsv.gz'), components: read('ahsp_components.tsv.gz') }
}
