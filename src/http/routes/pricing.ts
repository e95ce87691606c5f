import { createRoute, z } from '@hono/zod-openapi'
import type { Context, TypedResponse } from 'hono'
import { NotFoundError } from '../../domain/errors.js'
import type { CachedAnswer } from '../../use-cases/catalog/cached-catalog.js'
import type { Pricing } from '../../use-cases/pricing/pricing.js'
import { createRouter } from '../router.js'
import { problemResponse } from './problem-response.js'
import { EstimateRequestSchema, EstimateSchema, JobPriceSchema, ListNameSchema } from './pricing-schemas.js'

export interface PricingRoutesDeps {
  pricing: Pricing
}


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
    body: { required: true, content: { 'application/json': { schema: EstimateRequestSchema } } },
  },
  responses: {
    200: { description: 'The estimate', content: { 'application/json': { schema: EstimateSchema } } },
    400: problemResponse('Invalid request'),
    404: problemResponse('No such price list'),
    413: problemResponse('Body over BODY_LIMIT (5,000 lines fit in the default 1 MB)'),
    422: problemResponse('Lines naming unknown jobs or unreadable volumes (errors: [{line, message}])'),
  },
})

function send<T>(c: Context, answer: CachedAnswer): TypedResponse<T, 200, 'json'> {
  c.header('X-Cache', answer.hit ? 'HIT' : 'MISS')
  return c.body(answer.json, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<T, 200, 'json'>
}

export function createPricingRoutes(deps: PricingRoutesDeps) {
  const { pricing } = deps
  return createRouter()
    .openapi(jobPriceRoute, async (c) => {
      const { code } = c.req.valid('param')
      const { list, source, overhead } = c.req.valid('query')
      const answer = await pricing.jobPrice({ code, source, list, overhead })
      if (!answer) throw new NotFoundError(`No AHSP job with code "${code}"`)
      return send<z.infer<typeof JobPriceSchema>>(c, answer)
    })
    .openapi(estimateRoute, async (c) => send<z.infer<typeof EstimateSchema>>(c, await pricing.estimate(c.req.valid('json'))))
}
