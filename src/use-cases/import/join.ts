import { UnprocessableError } from '../../domain/errors.js'
import { findHeader } from './rows-to-jobs.js'
import type { ColumnMap, Field } from './headers.js'
import type { Table, TableRow } from './table.js'

const JOINED: [string, Field][] = [
  ['kode_ahsp', 'code'],
  ['nama_ahsp', 'name'],
  ['satuan_ahsp', 'jobUnit'],
  ['klasifikasi', 'classification'],
  ['sub_klasifikasi', 'subClassification'],
  ['sumber', 'source'],
]
const COMPONENT: [string, Field][] = [
  ['kategori', 'category'],
  ['kode_item', 'itemCode'],
  ['uraian_item', 'description'],
  ['satuan_item', 'itemUnit'],
  ['koefisien', 'coefficient'],
]

const pick = (row: TableRow, columns: ColumnMap, field: Field) => {
  const i = columns[field]
  return i === undefined ? '' : (row.cells[i] ?? '')
}

/**
 * The two-file export (`ahsp_jobs.tsv` + `ahsp_components.tsv`, joined by `id` = `ahsp_id`) as one flat
 * table in the SNI layout, so one normaliser reads both layouts. Jobs come first, in the jobs file's
 * order, as job-only rows; each component row keeps its own row number and names its file in messages.
 */
export function joinJobsAndComponents(jobs: Table, components: Table): Table {
  const j = findHeader(jobs)
  const c = findHeader(components)
  if (j.columns.jobId === undefined || j.columns.code === undefined) {
    throw new UnprocessableError('The jobs file needs the columns id and kode_ahsp')
  }
  if (c.columns.jobRef === undefined) throw new UnprocessableError('The components file needs the column ahsp_id')
  const byId = new Map<string, string[]>()
  const out: TableRow[] = [{ row: 0, cells: [...JOINED, ...COMPONENT].map(([name]) => name) }]
  for (const row of jobs.rows.slice(j.index + 1)) {
    const jobCells = JOINED.map(([, field]) => pick(row, j.columns, field))
    const id = pick(row, j.columns, 'jobId').trim()
    if (id && !byId.has(id)) byId.set(id, jobCells)
    out.push({ row: row.row, cells: [...jobCells, ...COMPONENT.map(() => '')], file: 'jobs file' })
  }
  for (const row of components.rows.slice(c.index + 1)) {
    const ref = pick(row, c.columns, 'jobRef').trim()
    const jobCells = byId.get(ref)
    const cells = COMPONENT.map(([, field]) => pick(row, c.columns, field))
    // An unknown ahsp_id leaves the job fields empty, so the row is reported as missing its job code.
    out.push({
      row: row.row,
      cells: [...(jobCells ?? JOINED.map(() => '')), ...cells],
      file: jobCells ? 'components file' : `components file (unknown ahsp_id "${ref.slice(0, 20)}")`,
    })
  }
  return { rows: out }
}
