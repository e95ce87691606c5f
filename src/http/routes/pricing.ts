import { createRoute, z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler, TypedResponse } from 'hono'
import { NotFoundError } from '../../domain/errors.js'
import type { CachedAnswer } from '../../use-cases/catalog/cached-catalog.js'
import type { Pricing } from '../../use-cases/pricing/pricing.js'
import type { Estimate } from '../../use-cases/pricing/compute.js'
import { estimateCsv, estimateXlsx } from '../../use-cases/pricing/estimate-files.js'
import { createRouter } from '../router.js'
import type { AppEnv } from '../types.js'
import { problemResponse } from './problem-response.js'
import { EstimateRequestSchema, EstimateSchema, JobPriceSchema, ListNameSchema } from './pricing-schemas.js'

export interface PricingRoutesDeps {
  pricing: Pricing
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const jobPriceRoute = createRoute({
  method: 'get',
  path: '/ahsp/jobs/{code}/price',
  tags: ['prices'],
  summary: 'Unit price analysis of a job against a price list (cached; X-Cache: HIT|MISS)',
  request: {
    params: z.object({ code: z.string().min(1).max(64).openapi({ example: '1.1.1.1' }) }),
    query: z.object({
      list: ListNameSchema,
      source: z.string().max(100).optional(),
      overhead: z.string().max(20).optional().openapi({ description: 'Overhead and profit, percent 0–100 (default PRICE_OVERHEAD_PERCENT)', example: '10' }),
    }),
  },
  responses: {
    200: { description: 'Lines, subtotals per category, D, E, F and the components without a price', content: { 'application/json': { schema: JobPriceSchema } } },
    400: problemResponse('Invalid parameters'),
    404: problemResponse('No such job or price list'),
  },
})

const estimateRoute = createRoute({
  method: 'post',
  path: '/estimates',
  tags: ['prices'],
  summary: 'Bill of quantities (RAB): unit prices × volumes, subtotal, PPN, total (cached; X-Cache)',
  request: {
    query: z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ description: 'json, or a file a spreadsheet program opens' }) }),
    body: { required: true, content: { 'application/json': { schema: EstimateRequestSchema } } },
  },
  responses: {
    200: {
      description: 'The estimate (as JSON, or as a .csv / .xlsx download)',
      content: {
        'application/json': { schema: EstimateSchema },
        'text/csv': { schema: { type: 'string' } },
        [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
      },
    },
    400: problemResponse('Invalid request'),
    404: problemResponse('No such price list'),
    413: problemResponse('Body over BODY_LIMIT (5,000 lines fit in the default 1 MB)'),
    422: problemResponse('Lines naming unknown jobs or unreadable volumes (errors: [{line, message}])'),
  },
})

function send<T>(c: Context, answer: CachedAnswer): TypedResponse<T, 200, 'json'> {
  c.header('X-Cache', answer.hit ? 'HIT' : 'MISS')
  return c.body((answer.bytes as Uint8Array<ArrayBuffer> | undefined) ?? answer.json, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<T, 200, 'json'>
}

const FORMATS = new Set(['json', 'csv', 'xlsx'])
type Format = 'json' | 'csv' | 'xlsx'

function sendEstimate(c: Context, answer: CachedAnswer, format: Format) {
  if (format === 'json') return send<z.infer<typeof EstimateSchema>>(c, answer)
  const estimate = JSON.parse(answer.json) as Estimate
  c.header('X-Cache', answer.hit ? 'HIT' : 'MISS')
  c.header('Content-Disposition', `attachment; filename="rab-${estimate.list}.${format}"`)
  if (format === 'csv') return c.body(estimateCsv(estimate), 200, { 'Content-Type': 'text/csv; charset=utf-8' }) as never
  return c.body(estimateXlsx(estimate) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': XLSX_TYPE }) as never
}

export function createPricingRoutes(deps: PricingRoutesDeps) {
  const { pricing } = deps
  const rawKeys = new WeakMap<Context, string>()
  /**
   * Before the body is parsed and validated (most of a cached 5,000-line estimate's time): a request
   * byte-for-byte like one answered before is answered from the cache. Such a request validated then,
   * so it would again; any other goes on to validation with its raw key for the handler.
   */
  const cachedEstimate: MiddlewareHandler<AppEnv> = async (c, next) => {
    const url = c.req.url
    const q = url.indexOf('?')
    const raw = { body: new Uint8Array(await c.req.arrayBuffer()), contentType: c.req.header('content-type') ?? '', query: q < 0 ? '' : url.slice(q) }
    const { answer, rawKey } = await pricing.cachedEstimate(raw)
    const format = c.req.query('format') ?? 'json'
    if (answer && FORMATS.has(format)) return sendEstimate(c, answer, format as Format) as unknown as Response
    rawKeys.set(c, rawKey)
    await next()
  }
  return createRouter()
    .openapi(jobPriceRoute, async (c) => {
      const { code } = c.req.valid('param')
      const { list, source, overhead } = c.req.valid('query')
      const answer = await pricing.jobPrice({ code, source, list, overhead })
      if (!answer) throw new NotFoundError(`No AHSP job with code "${code}"`)
      return send<z.infer<typeof JobPriceSchema>>(c, answer)
    })
    .openapi({ ...estimateRoute, middleware: [cachedEstimate] as const }, async (c) => {
      const answer = await pricing.estimate(c.req.valid('json'), rawKeys.get(c))
      return sendEstimate(c, answer, c.req.valid('query').format)
    })
}
