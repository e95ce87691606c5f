import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ReferenceFiles } from '../../ports/reference.js'

/**
 * `data/ahsp/` of this checkout (the repository ships it; see its README), found by walking up from this
 * module: the same code runs from `src/adapters/reference/` (tsx, Bun, Deno) and bundled in `dist/node/`.
 */
function shippedDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'data', 'ahsp')
    if (existsSync(join(candidate, 'ahsp_jobs.tsv.gz'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`data/ahsp/ not found above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

/** The gzipped TSV export of the SNI 2025 reference, read from the repository's `data/ahsp/`. */
export function readShippedReference(): ReferenceFiles {
  const dir = shippedDir()
  const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)))
  return { jobs: read('ahsp_jobs.tsv.gz'), components: read('ahsp_components.tsv.gz') }
}
