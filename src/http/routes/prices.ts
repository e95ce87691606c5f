import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { NotFoundError, UnprocessableError, ValidationError } from '../../domain/errors.js'
import type { ImportPrices, PriceInput } from '../../use-cases/pricing/import-prices.js'
import type { PriceListStore } from '../../ports/prices.js'
import { requireAdmin } from '../middleware/auth-guard/index.js'
import { DEFAULT_UPLOAD_BYTES, uploadLimit } from '../middleware/body-limit/index.js'
import { createRouter } from '../router.js'
import type { AppEnv } from '../types.js'
import { problemResponse, tooLargeResponse } from './problem-response.js'
import { ListNameSchema, PriceImportSchema, PriceListSchema, PriceListsSchema } from './pricing-schemas.js'

export interface PriceRoutesDeps {
  prices: PriceListStore
  importPrices: ImportPrices
  /** After a delete: publish the list's end so cached prices are stale (version 0). */
  listChanged(list: string, version: number): Promise<void>
  /** Upload bodies above this are refused with 413. Default 10 MB. */
  maxUploadBytes?: number
}

const params = z.object({ list: ListNameSchema })

function putRoute(maxBytes: number) {
  return createRoute({
    method: 'put',
    path: '/prices/{list}',
    tags: ['prices'],
    summary: 'Replace a price list (admin): JSON items, or an uploaded .csv/.tsv/.xlsx',
    security: [{ cookieAuth: [] }],
    middleware: [requireAdmin, uploadLimit(maxBytes)] as const,
    request: {
      params,
      body: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', properties: { itemCode: { type: 'string' }, description: { type: 'string' }, unit: { type: 'string' }, price: { type: ['string', 'number'] } } } } } } },
          'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '.csv, .tsv or .xlsx: kode_item/itemCode, uraian/description, satuan/unit, harga/price' } } } },
        },
      },
    },
    responses: {
      200: { description: 'What the replace did, row by row', content: { 'application/json': { schema: PriceImportSchema } } },
      400: problemResponse('Invalid list name'),
      401: problemResponse('Not logged in'),
      403: problemResponse('Not an administrator'),
      413: tooLargeResponse(maxBytes),
      422: problemResponse('Nothing could be read or matched; nothing changed'),
    },
  })
}

const listsRoute = createRoute({
  method: 'get',
  path: '/prices',
  tags: ['prices'],
  summary: 'Price lists with their item counts',
  responses: { 200: { description: 'Lists', content: { 'application/json': { schema: PriceListsSchema } } } },
})

const getRoute = createRoute({
  method: 'get',
  path: '/prices/{list}',
  tags: ['prices'],
  summary: 'One price list with its items',
  request: { params },
  responses: {
    200: { description: 'The list', content: { 'application/json': { schema: PriceListSchema } } },
    400: problemResponse('Invalid list name'),
    404: problemResponse('No such list'),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/prices/{list}',
  tags: ['prices'],
  summary: 'Delete a price list (admin)',
  security: [{ cookieAuth: [] }],
  middleware: [requireAdmin] as const,
  request: { params },
  responses: {
    204: { description: 'Deleted' },
    400: problemResponse('Invalid list name'),
    401: problemResponse('Not logged in'),
    403: problemResponse('Not an administrator'),
    404: problemResponse('No such list'),
  },
})

async function priceInput(c: Context<AppEnv>): Promise<PriceInput> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  if (type.startsWith('multipart/form-data')) {
    let form: FormData
    try {
      form = await c.req.raw.formData()
    } catch {
      throw new ValidationError('Malformed multipart/form-data body')
    }
    const file = form.get('file')
    if (!(file instanceof File)) throw new ValidationError('Missing the file field "file"')
    return { file: { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, contentType: file.type } }
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length === 0) throw new UnprocessableError('Empty request body')
  if (type.includes('json')) {
    try {
      return { json: JSON.parse(new TextDecoder().decode(bytes)) }
    } catch {
      throw new UnprocessableError('The body is not valid JSON')
    }
  }
  return { file: { bytes, contentType: type } }
}

export function createPriceRoutes(deps: PriceRoutesDeps) {
  return createRouter()
    .openapi(putRoute(deps.maxUploadBytes ?? DEFAULT_UPLOAD_BYTES), async (c) => {
      const { list } = c.req.valid('param')
      const report = await deps.importPrices(list, await priceInput(c))
      c.var.logger.info('price list replaced', { user: c.var.user?.username, list, ...report.items, errors: report.errors.length })
      return c.json(report, 200)
    })
    .openapi(listsRoute, async (c) => c.json(await deps.prices.lists(), 200))
    .openapi(getRoute, async (c) => {
      const { list } = c.req.valid('param')
      const found = await deps.prices.get(list)
      if (!found) throw new NotFoundError(`No price list "${list}"`)
      return c.json({ list: found.list, items: found.items, updatedAt: found.updatedAt }, 200)
    })
    .openapi(deleteRoute, async (c) => {
      const { list } = c.req.valid('param')
      if (!(await deps.prices.delete(list))) throw new NotFoundError(`No price list "${list}"`)
      await deps.listChanged(list, 0)
      c.var.logger.info('price list deleted', { user: c.var.user?.username, list })
      return c.body(null, 204)
    })
}
