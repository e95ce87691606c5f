import { z } from '@hono/zod-openapi'
import { CATEGORIES } from '../../ports/catalog.js'

/** Response schemas of the catalog routes, for the generated OpenAPI document. */
const JobFields = {
  source: z.string().openapi({ example: 'AHSP 2025' }),
  code: z.string().openapi({ example: '1.1.1.1' }),
  name: z.string(),
  unit: z.string(),
  classification: z.string(),
  subClassification: z.string(),
}

export const ComponentSchema = z
  .object({
    category: z.enum(CATEGORIES as ['TK', 'BHN', 'ALT', 'LAIN']),
    itemCode: z.string(),
    description: z.string(),
    unit: z.string(),
    coefficient: z.string().openapi({ description: 'Exact decimal, never rounded', example: '0.0387' }),
  })
  .openapi('Component')

export const SearchAnswerSchema = z
  .object({
    query: z.string().openapi({ description: 'The normalised query that was searched' }),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    items: z.array(z.object({ ...JobFields, rank: z.number() })),
    fuzzy: z.boolean().optional().openapi({ description: 'True when the typo-tolerant fallback answered' }),
  })
  .openapi('SearchAnswer')

export const ItemsAnswerSchema = z
  .object({
    query: z.string().openapi({ description: 'The normalised query that was searched' }),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    items: z.array(
      z.object({
        category: z.enum(CATEGORIES as ['TK', 'BHN', 'ALT', 'LAIN']),
        itemCode: z.string().openapi({ example: 'TK-0001' }),
        description: z.string().openapi({ example: 'Mandor' }),
        unit: z.string().openapi({ example: 'OH' }),
        jobs: z.number().int().openapi({ description: 'How many jobs use this item' }),
      }),
    ),
    fuzzy: z.boolean().optional().openapi({ description: 'True when the typo-tolerant fallback answered' }),
  })
  .openapi('ItemsAnswer')

export const JobDetailSchema = z.object({ ...JobFields, components: z.array(ComponentSchema) }).openapi('JobDetail')

export const SourcesSchema = z.array(z.object({ source: z.string(), jobs: z.number().int() })).openapi('Sources')

const Issue = z.object({ row: z.number().int(), message: z.string() })

export const ImportReportSchema = z
  .object({
    jobs: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
    components: z.number().int(),
    rows: z.number().int(),
    errors: z.array(Issue).openapi({ description: 'Rows not imported (first 1000)' }),
    warnings: z
      .array(Issue.extend({ value: z.string().optional(), suggested: z.string().optional() }))
      .openapi({
        description:
          'Rows imported with a guess, e.g. no category → LAIN, or a coefficient ≥ 100× its item\'s median (lost decimal point: `value` read, `suggested` intended) (first 1000)',
      }),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
    coefficientsFixed: z.boolean().openapi({ description: 'Whether flagged coefficients were replaced by `suggested` (fixCoefficients=true)' }),
    textRepaired: z
      .object({
        count: z.number().int(),
        examples: z.array(z.object({ row: z.number().int(), from: z.string(), to: z.string() })),
      })
      .openapi({
        description: 'Cells whose text was UTF-8 read as CP-1252/Latin-1 (`mÂ³`, `â‰¥`), imported repaired (`m³`, `≥`), and `m’` the file wrote `m3` where the store copy of the job says `m’`: the count and the first 20 with their row',
      }),
  })
  .openapi('ImportReport')
