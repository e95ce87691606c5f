import { UnprocessableError } from '../../domain/errors.js'
import type { CatalogStore } from '../../ports/catalog.js'
import type { RowIssue } from './rows-to-jobs.js'
import type { TextRepair } from './mojibake.js'
import { parseUpload, type ParseOptions, type Upload } from './parse-upload.js'
import { checkCoefficients } from './coefficient-check.js'
import { restoreMetreMarks } from './restore-marks.js'
import { jobKey } from '../../domain/catalog/job-key.js'
import type { JobWithComponents } from '../../ports/catalog.js'

/** What `POST /ahsp/import` answers and the CLI prints. */
export interface ImportReport {
  jobs: { created: number; updated: number; unchanged: number }
  /** Components written (of created and updated jobs). */
  components: number
  /** Data rows read. */
  rows: number
  /** Rows not imported, by 1-based row number (the header is row 1 in a spreadsheet). */
  errors: RowIssue[]
  /** Rows imported with a guess (e.g. no category → LAIN). */
  warnings: RowIssue[]
  /** Set when `errors`/`warnings` were cut to `MAX_REPORTED` entries; the full counts. */
  errorCount: number
  warningCount: number
  /** Whether coefficients flagged as a lost decimal point were replaced by their suggested value. */
  coefficientsFixed: boolean
  /** Cells imported repaired — UTF-8 read as CP-1252 (`mÂ³` → `m³`), `m’` lost as `m3` where the store's copy says so: how many, and the first few. */
  textRepaired: { count: number; examples: TextRepair[] }
}

/** Repairs listed in a report: enough to see what was changed, the count says how much. */
export const REPAIR_EXAMPLES = 20

/** Entries of each list in a report, so a hostile file cannot produce a response of millions of lines. */
export const MAX_REPORTED = 1000

export interface ImportCatalogDeps {
  store: CatalogStore
  /** Called after an import that changed something: makes every cached answer stale (generation bump). */
  onChanged?: () => Promise<void>
}

export interface ImportRequest extends ParseOptions {
  file: Upload
  onProgress?: (done: number, total: number) => void
}

/**
 * Parse → upsert (one transaction, in the store) → invalidate cached reads. A file that cannot be read
 * at all, or holds no readable job, is a 422 (`UnprocessableError`) and changes nothing.
 */
export function createImportCatalog(deps: ImportCatalogDeps) {
  return async function importCatalog(request: ImportRequest): Promise<ImportReport> {
    const parsed = await parseUpload(request.file, { ...request, deferCoefficientCheck: true })
    if (parsed.jobs.length === 0) {
      throw new UnprocessableError(
        parsed.rows === 0 ? 'The file has a header but no data rows' : 'No row of the file could be imported',
        parsed.errors.slice(0, MAX_REPORTED),
      )
    }
    const heldJobs = await heldJobsOf(deps.store, parsed.jobs)
    const held = new Map([...heldJobs].map(([k, j]) => [k, j.components]))
    const restored = restoreMetreMarks(parsed.jobs, parsed.checked, heldJobs, held)
    const textRepairs = [...(parsed.textRepairs ?? []), ...restored]
    parsed.warnings.push(...checkCoefficients(parsed.checked, { fix: parsed.coefficientsFixed, held }))
    parsed.warnings.sort((a, b) => a.row - b.row)
    const summary = await deps.store.upsertJobs(parsed.jobs, request.onProgress)
    if (summary.created + summary.updated > 0) await deps.onChanged?.()
    return {
      jobs: { created: summary.created, updated: summary.updated, unchanged: summary.unchanged },
      components: summary.components,
      rows: parsed.rows,
      errors: parsed.errors.slice(0, MAX_REPORTED),
      warnings: parsed.warnings.slice(0, MAX_REPORTED),
      errorCount: parsed.errors.length,
      warningCount: parsed.warnings.length,
      coefficientsFixed: parsed.coefficientsFixed,
      textRepaired: { count: textRepairs.length, examples: textRepairs.slice(0, REPAIR_EXAMPLES) },
    }
  }
}

/** Lookups in flight at once: the store's pool is shared with the requests being served meanwhile. */
const HELD_CONCURRENCY = 4

/** The store's copies of the jobs of the upload (by job key): what the checks compare with. */
async function heldJobsOf(store: CatalogStore, jobs: readonly JobWithComponents[]): Promise<Map<string, JobWithComponents>> {
  const held = new Map<string, JobWithComponents>()
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]
      const before = await store.getJob(job.code, job.source)
      if (before) held.set(jobKey(job.source, job.code), before)
    }
  }
  await Promise.all(Array.from({ length: HELD_CONCURRENCY }, worker))
  return held
}

export type ImportCatalog = ReturnType<typeof createImportCatalog>
