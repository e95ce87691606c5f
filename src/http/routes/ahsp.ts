import { createRoute, z } from '@hono/zod-openapi'
import type { Context, TypedResponse } from 'hono'
import { NotFoundError, UnprocessableError, ValidationError } from '../../domain/errors.js'
import { CATEGORIES, SEARCH_IN, SEARCH_LIMITS } from '../../ports/catalog.js'
import type { CachedAnswer, CachedCatalog } from '../../use-cases/catalog/cached-catalog.js'
import type { ImportCatalog } from '../../use-cases/import/import-catalog.js'
import type { Upload } from '../../use-cases/import/parse-upload.js'
import { requireAdmin } from '../middleware/auth-guard/index.js'
import { DEFAULT_UPLOAD_BYTES, uploadLimit } from '../middleware/body-limit/index.js'
import { createRouter } from '../router.js'
import type { AppEnv } from '../types.js'
import { ImportReportSchema, ItemsAnswerSchema, JobDetailSchema, SearchAnswerSchema, SourcesSchema } from './ahsp-schemas.js'
import { problemResponse, tooLargeResponse } from './problem-response.js'

export interface AhspRoutesDeps {
  catalog: CachedCatalog
  importCatalog: ImportCatalog
  /** Import request bodies above this are refused with 413. Default 10 MB (the spec). */
  maxImportBytes?: number
}

// Longer queries are a 400: an explicit error beats silently searching a truncated text.
const { maxQueryChars, maxPage, maxLimit } = SEARCH_LIMITS

const searchRoute = createRoute({
  method: 'get',
  path: '/ahsp/search',
  tags: ['catalog'],
  summary: 'Full-text search of AHSP jobs (cached; X-Cache: HIT|MISS)',
  request: {
    query: z.object({
      q: z.string().max(maxQueryChars).default('').openapi({ description: 'Words, "phrases", OR, -exclude, codes' }),
      source: z.string().max(100).optional(),
      category: z.enum(CATEGORIES as ['TK', 'BHN', 'ALT', 'LAIN']).optional(),
      in: z
        .enum(SEARCH_IN as ['name', 'components'])
        .default('name')
        .openapi({ description: "name: the job's name; components: jobs having a component whose item matches q" }),
      page: z.coerce.number().int().min(1).max(maxPage).default(1),
      limit: z.coerce.number().int().min(1).max(maxLimit).default(20),
    }),
  },
  responses: {
    200: { description: 'Matching jobs, best first', content: { 'application/json': { schema: SearchAnswerSchema } } },
    400: problemResponse('Invalid parameters'),
  },
})

const itemsRoute = createRoute({
  method: 'get',
  path: '/ahsp/items',
  tags: ['catalog'],
  summary: 'The distinct labour, materials and equipment that components name, with how many jobs use each (cached)',
  request: {
    query: z.object({
      q: z.string().max(maxQueryChars).default('').openapi({ description: 'Same syntax and matching as job search', example: 'semen portland' }),
      category: z.enum(CATEGORIES as ['TK', 'BHN', 'ALT', 'LAIN']).optional(),
      page: z.coerce.number().int().min(1).max(maxPage).default(1),
      limit: z.coerce.number().int().min(1).max(maxLimit).default(20),
    }),
  },
  responses: {
    200: { description: 'Matching items, best first', content: { 'application/json': { schema: ItemsAnswerSchema } } },
    400: problemResponse('Invalid parameters'),
  },
})

const jobRoute = createRoute({
  method: 'get',
  path: '/ahsp/jobs/{code}',
  tags: ['catalog'],
  summary: 'One job with its components (cached)',
  request: {
    params: z.object({ code: z.string().min(1).max(64).openapi({ example: '1.1.1.1' }) }),
    query: z.object({ source: z.string().max(100).optional() }),
  },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: JobDetailSchema } } },
    404: problemResponse('No such job'),
  },
})

const sourcesRoute = createRoute({
  method: 'get',
  path: '/ahsp/sources',
  tags: ['catalog'],
  summary: 'Sources (editions) with their job counts (cached)',
  responses: { 200: { description: 'Sources', content: { 'application/json': { schema: SourcesSchema } } } },
})


function importRoute(maxBytes: number) {
  return createRoute({
    method: 'post',
    path: '/ahsp/import',
    tags: ['catalog'],
    summary: 'Import jobs (admin): .xlsx (flat SNI layout), .csv, .tsv or JSON; upsert by source + code',
    security: [{ cookieAuth: [] }],
    middleware: [requireAdmin, uploadLimit(maxBytes)] as const,
    request: {
      query: z.object({
        source: z.string().max(100).optional().openapi({
          description: 'The source of EVERY imported row, overriding the file\'s source column (import as a new source)',
        }),
        defaultSource: z.string().max(100).optional().openapi({
          description: 'The source of rows without one (no source column or an empty cell); default AHSP 2025',
        }),
        fixCoefficients: z.enum(['true', 'false']).optional().openapi({
          description: 'Replace coefficients flagged as a lost decimal point by the suggested value (default false: warn only)',
        }),
      }),
      // Plain OpenAPI schemas (not zod) document the bodies without the generic validators: the upload is
      // read by the importer, which answers 422 for anything it cannot parse.
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: { type: 'string', format: 'binary', description: '.xlsx, .csv, .tsv or .json' },
                components: { type: 'string', format: 'binary', description: 'Two-file export: the components TSV' },
                source: { type: 'string', description: 'As the query parameter: the source of every row' },
                defaultSource: { type: 'string', description: 'As the query parameter: the source of rows without one' },
                fixCoefficients: { type: 'string', enum: ['true', 'false'], description: 'As the query parameter' },
              },
            },
          },
          'application/json': { schema: { type: 'array', items: { type: 'object' } } },
        },
      },
    },
    responses: {
      200: { description: 'Import summary', content: { 'application/json': { schema: ImportReportSchema } } },
      401: problemResponse('Not logged in'),
      403: problemResponse('Not an administrator'),
      413: tooLargeResponse(maxBytes),
      422: problemResponse('The file cannot be parsed; nothing changed'),
    },
  })
}

/** The cached answer's JSON text sent as is (no parse, no re-serialisation); typed as the route's schema. */
function send<T>(c: Context, answer: CachedAnswer): TypedResponse<T, 200, 'json'> {
  c.header('X-Cache', answer.hit ? 'HIT' : 'MISS')
  const res = c.body(answer.json, 200, { 'Content-Type': 'application/json' })
  return res as unknown as TypedResponse<T, 200, 'json'>
}

interface UploadRequest {
  file: Upload
  components?: Upload
  source?: string
  defaultSource?: string
  fixCoefficients: boolean
}

async function uploadOf(c: Context<AppEnv>): Promise<UploadRequest> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  const querySource = c.req.query('source')
  const queryDefault = c.req.query('defaultSource')
  const queryFix = c.req.query('fixCoefficients') === 'true'
  if (type.startsWith('multipart/form-data')) {
    let form: FormData
    try {
      form = await c.req.raw.formData()
    } catch {
      throw new ValidationError('Malformed multipart/form-data body')
    }
    const file = form.get('file')
    if (!(file instanceof File)) throw new ValidationError('Missing the file field "file"')
    const components = form.get('components')
    const source = form.get('source')
    const defaultSource = form.get('defaultSource')
    const fix = form.get('fixCoefficients')
    return {
      fixCoefficients: typeof fix === 'string' ? fix === 'true' : queryFix,
      file: await asUpload(file),
      components: components instanceof File ? await asUpload(components) : undefined,
      source: typeof source === 'string' ? source : querySource,
      defaultSource: typeof defaultSource === 'string' ? defaultSource : queryDefault,
    }
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length === 0) throw new UnprocessableError('Empty request body')
  return { file: { bytes, contentType: type }, source: querySource, defaultSource: queryDefault, fixCoefficients: queryFix }
}

async function asUpload(file: File): Promise<Upload> {
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, contentType: file.type }
}

export function createAhspRoutes(deps: AhspRoutesDeps) {
  const { catalog } = deps
  return createRouter()
    .openapi(searchRoute, async (c) => {
      const { q, source, category, page, limit, in: within } = c.req.valid('query')
      return send<z.infer<typeof SearchAnswerSchema>>(c, await catalog.search({ q, source, category, page, limit, in: within }))
    })
    .openapi(itemsRoute, async (c) => {
      const { q, category, page, limit } = c.req.valid('query')
      return send<z.infer<typeof ItemsAnswerSchema>>(c, await catalog.searchItems({ q, category, page, limit }))
    })
    .openapi(jobRoute, async (c) => {
      const { code } = c.req.valid('param')
      const answer = await catalog.getJob(code, c.req.valid('query').source)
      if (!answer) throw new NotFoundError(`No AHSP job with code "${code}"`)
      return send<z.infer<typeof JobDetailSchema>>(c, answer)
    })
    .openapi(sourcesRoute, async (c) => send<z.infer<typeof SourcesSchema>>(c, await catalog.sources()))
    .openapi(importRoute(deps.maxImportBytes ?? DEFAULT_UPLOAD_BYTES), async (c) => {
      const upload = await uploadOf(c)
      const report = await deps.importCatalog(upload)
      c.var.logger.info('catalog import', { user: c.var.user?.username, created: report.jobs.created, updated: report.jobs.updated, errors: report.errorCount })
      return c.json(report, 200)
    })
}
