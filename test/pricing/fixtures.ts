import type { JobWithComponents } from '../../src/ports/catalog.js'

/** A hand-written catalog whose prices are worked out by hand in the tests (no code computes them). */
export const FIXTURE_JOBS: JobWithComponents[] = [
  {
    source: 'Uji',
    code: 'T.1',
    name: 'Galian uji',
    unit: 'm3',
    classification: '',
    subClassification: '',
    components: [
      { category: 'TK', itemCode: 'TK-0001', description: 'Mandor', unit: 'OH', coefficient: '0.025' },
      { category: 'TK', itemCode: 'TK-0002', description: 'Pekerja', unit: 'OH', coefficient: '0.75' },
      { category: 'BHN', itemCode: 'B-0001', description: 'Semen Portland', unit: 'kg', coefficient: '9.5' },
      { category: 'ALT', itemCode: 'A-0001', description: 'Pompa air', unit: 'hari', coefficient: '0.1' },
      { category: 'LAIN', itemCode: 'L-0001', description: 'Kérikil beton', unit: 'm3', coefficient: '1.2' },
    ],
  },
  {
    source: 'Uji',
    code: 'T.2',
    name: 'Plester uji',
    unit: 'm2',
    classification: '',
    subClassification: '',
    components: [
      { category: 'TK', itemCode: 'TK-0002', description: 'Pekerja', unit: 'OH', coefficient: '0.3' },
      { category: 'BHN', itemCode: 'B-0001', description: 'Semen Portland', unit: 'kg', coefficient: '3.333' },
    ],
  },
]

/**
 * The price rows of the fixture list, and what each should do:
 * row 2 TK-0001 by code; row 3 Pekerja by description (case/space-insensitive, no code); row 4 the
 * workbook's code TK.0008 is unknown, its description matches Semen Portland; row 5 an ambiguous
 * `1.250` (→ 1250, warning); row 6 an unknown item; row 7 an unreadable price.
 */
export const FIXTURE_CSV = [
  'kode_item;uraian;satuan;harga',
  'TK-0001;Mandor;OH;200.000,00',
  ';  PEKERJA ;oh;Rp 150.000,00',
  'TK.0008;Semen  portland;KG;"Rp 1.250,50"',
  'A-0001;Pompa air;hari;1.250',
  'X-9999;Batu akik;bh;5.000,00',
  'TK-0001;Mandor;OH;abc',
].join('\r\n')

/**
 * T.1 at overhead 10 %, by hand:
 * TK = 0.025 × 200000 + 0.75 × 150000 = 5000 + 112500 = 117500
 * BHN = 9.5 × 1250.5 = 11879.75; ALT = 0.1 × 1250 = 125; LAIN = 0 (Kérikil beton has no price)
 * D = 129504.75; E = 12950.475; F = 142455.225
 */
export const T1_AT_10 = { TK: '117500', BHN: '11879.75', ALT: '125', LAIN: '0', direct: '129504.75', overhead: '12950.475', unitPrice: '142455.225' }
/** T.2: D = 0.3 × 150000 + 3.333 × 1250.5 = 45000 + 4167.9165 = 49167.9165; E = 4916.79165; F = 54084.70815 */
export const T2_AT_10 = { direct: '49167.9165', overhead: '4916.79165', unitPrice: '54084.70815' }
