import { gunzipSync } from 'fflate'
import type { JobWithComponents } from '../../ports/catalog.js'
import type { ReferenceFiles } from '../../ports/reference.js'
import { parseUploadSync } from './parse-upload.js'

/**
 * The reference as catalog jobs, through the same parser and normalisation as an uploaded export (so
 * units, categories and decimals are read exactly as an import would). Runtime-neutral: where the bytes
 * come from (a file, a bundled module) is the caller's business.
 */
export function parseReference(files: ReferenceFiles): JobWithComponents[] {
  const { jobs, errors } = parseUploadSync(
    { bytes: gunzipSync(files.jobs), filename: 'ahsp_jobs.tsv' },
    // No coefficient check: the reference is the standard the check compares with (0 warnings on it,
    // test/import/coefficient-check.test.ts), and it cost 60–100 ms of a ~400 ms parse at every start.
    { components: { bytes: gunzipSync(files.components), filename: 'ahsp_components.tsv' }, deferCoefficientCheck: true },
  )
  if (errors.length > 0) throw new Error(`shipped reference unreadable: ${errors[0].message} (row ${errors[0].row})`)
  return jobs
}
