/**
 * Column names an import understands, case-insensitive, with spaces, dashes and accents ignored
 * (`Kode AHSP`, `kode-ahsp` and `KODE_AHSP` are one column). Unknown columns are ignored.
 */
export type Field =
  | 'code'
  | 'name'
  | 'jobUnit'
  | 'classification'
  | 'subClassification'
  | 'source'
  | 'category'
  | 'itemCode'
  | 'description'
  | 'itemUnit'
  | 'coefficient'
  /** The jobs file's row id, in the two-file TSV export. */
  | 'jobId'
  /** The components file's reference to its job (`ahsp_id`). */
  | 'jobRef'

export const JOB_FIELDS = ['code', 'name', 'jobUnit', 'classification', 'subClassification', 'source'] as const
export const COMPONENT_FIELDS = ['category', 'itemCode', 'description', 'itemUnit', 'coefficient'] as const

const ALIASES: Record<Exclude<Field, 'jobId'>, string[]> = {
  code: ['kode_ahsp', 'kode', 'code', 'job_code', 'kode_pekerjaan', 'kode_analisa'],
  name: ['nama_ahsp', 'nama', 'name', 'job_name', 'nama_pekerjaan', 'uraian_pekerjaan', 'pekerjaan'],
  jobUnit: ['satuan_ahsp', 'satuan_pekerjaan', 'job_unit', 'unit_pekerjaan'],
  classification: ['klasifikasi', 'classification'],
  subClassification: ['sub_klasifikasi', 'subklasifikasi', 'sub_classification', 'subclassification'],
  source: ['sumber', 'sumber_ahsp', 'source'],
  category: ['kategori', 'kelompok', 'category', 'jenis'],
  itemCode: ['kode_item', 'kode_item_lookup', 'item_code', 'itemcode'],
  description: ['uraian_item', 'item', 'description', 'uraian', 'nama_item', 'item_name'],
  itemUnit: ['satuan_item', 'item_unit', 'unit_item'],
  coefficient: ['koefisien', 'koef', 'coefficient', 'coef', 'koefisien_item'],
  jobRef: ['ahsp_id', 'job_id'],
}

const BY_ALIAS = new Map<string, Field>()
for (const [field, names] of Object.entries(ALIASES)) for (const n of names) BY_ALIAS.set(n, field as Field)

/** `Kode  AHSP` → `kode_ahsp`; `Sub-Klasifikasi` → `sub_klasifikasi`; `subClassification` → `subclassification`. */
export function headerKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
}

/** Column index of each field found in a header row. */
export type ColumnMap = Partial<Record<Field, number>>

/**
 * Maps a header row. A bare `satuan`/`unit` is the component's unit in a layout with component columns
 * and no explicit item-unit column (the flat SNI workbook), and the job's unit otherwise (the jobs TSV,
 * or a flat file that also has `satuan_item`). `id` is the job id only in a file without component columns.
 */
export function mapHeader(cells: readonly string[]): ColumnMap {
  const map: ColumnMap = {}
  let bareUnit: number | undefined
  let id: number | undefined
  cells.forEach((cell, i) => {
    const key = headerKey(cell)
    if (key === 'satuan' || key === 'unit') bareUnit ??= i
    else if (key === 'id') id ??= i
    else {
      const field = BY_ALIAS.get(key)
      if (field !== undefined && map[field] === undefined) map[field] = i
    }
  })
  const hasComponents = map.description !== undefined || map.coefficient !== undefined
  if (bareUnit !== undefined) {
    if (hasComponents && map.itemUnit === undefined) map.itemUnit = bareUnit
    else map.jobUnit ??= bareUnit
  }
  if (id !== undefined && !hasComponents) map.jobId = id
  return map
}

/** The canonical column name of a field for JSON objects flattened into rows. */
export function canonicalColumn(key: string, level: 'job' | 'component'): string | undefined {
  const k = headerKey(key)
  if (k === 'satuan' || k === 'unit') return level === 'job' ? 'satuan_ahsp' : 'satuan_item'
  const field = BY_ALIAS.get(k)
  return field === undefined ? undefined : ALIASES[field as Exclude<Field, 'jobId'>][0]
}
