import { z } from '@hono/zod-openapi'
import { ComponentSchema } from './ahsp-schemas.js'

/** Schemas of the price-list, job-price and estimate routes, for the generated OpenAPI document. */
const money = (description: string) => z.string().openapi({ description: `${description}; exact decimal text (rupiah), never rounded`, example: '1250000.5' })

export const ListNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).openapi({ example: 'contoh-2025', description: '1–64 characters [A-Za-z0-9._-]' })

const Issue = z.object({ row: z.number().int(), message: z.string() })

export const PriceImportSchema = z
  .object({
    list: z.string(),
    items: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), removed: z.number().int() }),
    errors: z.array(Issue).openapi({ description: 'Rows not imported (first 1000)' }),
    warnings: z.array(Issue).openapi({ description: 'Rows imported with a remark, e.g. an ambiguous number (first 1000)' }),
    matches: z.array(z.object({ row: z.number().int(), itemCode: z.string(), by: z.enum(['itemCode', 'description']) })).openapi({ description: 'How each imported row was matched to a catalog item' }),
    matchedBy: z.object({ itemCode: z.number().int(), description: z.number().int() }),
  })
  .openapi('PriceImport')

const PriceItemSchema = z.object({ itemCode: z.string(), description: z.string(), unit: z.string(), price: money('Price') })

export const PriceListSchema = z.object({ list: z.string(), items: z.array(PriceItemSchema), updatedAt: z.string() }).openapi('PriceList')

export const PriceListsSchema = z.array(z.object({ list: z.string(), items: z.number().int(), updatedAt: z.string() })).openapi('PriceLists')

const MissingSchema = z.object({ itemCode: z.string(), description: z.string(), unit: z.string() })

export const JobPriceSchema = z
  .object({
    job: z.object({ source: z.string(), code: z.string(), name: z.string(), unit: z.string(), classification: z.string(), subClassification: z.string() }),
    list: z.string(),
    overheadPercent: z.string(),
    lines: z.array(ComponentSchema.extend({ price: money('Item price').nullable(), amount: money('coefficient × price').nullable() })),
    subtotals: z.object({ TK: z.string(), BHN: z.string(), ALT: z.string(), LAIN: z.string() }),
    direct: money('D = Σ subtotals'),
    overhead: money('E = D × overheadPercent / 100'),
    unitPrice: money('F = D + E'),
    missing: z.array(MissingSchema).openapi({ description: 'Components without a price in the list (counted as 0)' }),
    warnings: z.array(z.string()),
  })
  .openapi('JobPrice')

const amount = z.union([z.string(), z.number()])

export const EstimateRequestSchema = z
  .object({
    list: ListNameSchema,
    overheadPercent: amount.optional().openapi({ description: 'Default PRICE_OVERHEAD_PERCENT (10)' }),
    taxPercent: amount.optional().openapi({ description: 'PPN; default PRICE_TAX_PERCENT (11)' }),
    rounding: amount.optional().openapi({ description: 'totalRounded is a multiple of this (default 1)' }),
    lines: z.array(z.object({ code: z.string().min(1).max(64), source: z.string().max(100).optional(), volume: amount })).max(5000),
  })
  .openapi('EstimateRequest')

export const EstimateSchema = z
  .object({
    list: z.string(),
    overheadPercent: z.string(),
    taxPercent: z.string(),
    rounding: z.string(),
    lines: z.array(z.object({ code: z.string(), source: z.string(), name: z.string(), unit: z.string(), volume: z.string(), unitPrice: money('F of the job'), total: money('unitPrice × volume') })),
    subtotal: money('Σ line totals'),
    tax: money('subtotal × taxPercent / 100'),
    total: money('subtotal + tax'),
    totalRounded: money('total rounded half-up to a multiple of rounding'),
    missing: z.array(MissingSchema.extend({ codes: z.array(z.string()) })),
    warnings: z.array(z.string()),
  })
  .openapi('Estimate')
