import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { loginCookie } from '../helpers/login.js'
import { isDocsPath } from '../../src/http/routes/docs.js'

/**
 * The OpenAPI document is generated from the routes, and this walks it: every documented operation is
 * called (anonymously, and with an administrator's session where it declares security), and must answer
 * with a status the document declares, in a declared content type; 200 JSON bodies must validate against
 * the declared schema. Conversely every route the app serves must be in the document.
 */

type Json = Record<string, any>
const ADMIN = { username: 'openapi-admin', password: 'Correct-Horse-9-battery' }
const ORIGIN = 'http://localhost'

let container: Container
let doc: Json
let adminCookie: string | undefined
/** What the walk saw, so a vacuous pass (nothing called, nothing validated) fails. */
const seen: string[] = []
let validated = 0

beforeAll(async () => {
  const config = loadConfig({
    APP_ENV: 'test',
    CACHE_BACKEND: 'memory',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_API: '100000/60',
    RATE_LIMIT_LOGIN: '1000/60',
    RATE_LIMIT_IMPORT: '1000/60',
  })
  container = await buildContainer(config, silentLogger)
  const res = await container.app.request('/openapi.json')
  expect(res.status).toBe(200)
  doc = (await res.json()) as Json
  if (doc.paths['/auth/login']?.post) {
    adminCookie = await loginCookie(container.app, ADMIN, ORIGIN)
  }
})

afterAll(async () => {
  await container?.close()
})

/** JSON Schema (OpenAPI 3.1 dialect) → zod, with `#/components/schemas/*` refs resolved as `$defs`. */
function validatorFor(schema: Json): z.ZodType {
  const rewrite = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('"#/components/schemas/', '"#/$defs/'))
  return z.fromJSONSchema({ ...rewrite(schema), $defs: rewrite(doc.components?.schemas ?? {}) })
}

function exampleFor(param: Json): string {
  const s = param.schema ?? {}
  const v = param.example ?? s.example ?? s.examples?.[0] ?? s.default ?? s.enum?.[0]
  if (v !== undefined) return String(v)
  return s.type === 'integer' || s.type === 'number' ? '1' : 'ab'
}

interface Operation {
  method: string
  path: string
  op: Json
}

function operations(): Operation[] {
  const ops: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      if (item[method]) ops.push({ method, path, op: item[method] })
    }
  }
  // Logging out ends the admin session the other calls use.
  return ops.sort((a, b) => Number(a.path === '/auth/logout') - Number(b.path === '/auth/logout'))
}

function buildRequest({ method, path, op }: Operation, cookie?: string): [string, RequestInit] {
  const params: Json[] = op.parameters ?? []
  let url = path.replace(/\{(\w+)\}/g, (_, name) => {
    const p = params.find((x) => x.in === 'path' && x.name === name)
    return encodeURIComponent(p ? exampleFor(p) : 'x')
  })
  const query = new URLSearchParams()
  for (const p of params) if (p.in === 'query' && p.required) query.set(p.name, exampleFor(p))
  if ([...query].length) url += `?${query}`
  const headers: Record<string, string> = { Origin: ORIGIN }
  if (cookie) headers.Cookie = cookie
  const init: RequestInit = { method: method.toUpperCase(), headers }
  const content = op.requestBody?.content ?? {}
  if (content['application/json']) {
    headers['Content-Type'] = 'application/json'
    init.body = '{}'
  } else if (content['multipart/form-data']) {
    init.body = new FormData()
  }
  return [url, init]
}

async function check(o: Operation, cookie?: string): Promise<string[]> {
  const [url, init] = buildRequest(o, cookie)
  const res = await container.app.request(url, init)
  const where = `${o.method.toUpperCase()} ${url}${cookie ? ' (admin)' : ''} → ${res.status}`
  seen.push(where)
  const declared = o.op.responses?.[String(res.status)] ?? o.op.responses?.default
  if (!declared) return [`${where}: status not declared (${Object.keys(o.op.responses ?? {}).join(', ')})`]
  const body = await res.text()
  if (!declared.content) return []
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim()
  const media = declared.content[type]
  if (!media) return [`${where}: content type ${type} not declared (${Object.keys(declared.content).join(', ')})`]
  if (res.status === 200 && type === 'application/json' && media.schema) {
    const parsed = validatorFor(media.schema).safeParse(JSON.parse(body))
    if (!parsed.success) return [`${where}: body does not match the schema: ${parsed.error.message.slice(0, 400)}`]
    validated++
  }
  return []
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the sid cookie security scheme and the operations routes', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.title).toBeTruthy()
    expect(doc.components.securitySchemes.cookieAuth).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sid' }))
    expect(doc.paths['/health'].get).toBeDefined()
    expect(doc.paths['/ready'].get).toBeDefined()
  })

  it('documents every route the app serves (generated, not hand-written beside them)', () => {
    const served = container.app.routes
      // Middleware (ALL, or per method on `/*` like the origin check) is not an endpoint.
      .filter((r) => r.method !== 'ALL' && r.path !== '/*' && !isDocsPath(r.path) && !r.path.startsWith('/__test'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    const documented = new Set(operations().map((o) => `${o.method} ${o.path}`))
    expect([...new Set(served)].filter((r) => !documented.has(r))).toEqual([])
  })

  it('every operation answers with a declared status and content type; 200 JSON bodies match their schema', async () => {
    const problems: string[] = []
    for (const o of operations()) {
      problems.push(...(await check(o)))
      const anonymous = seen.at(-1)!
      if (anonymous.endsWith('→ 401') && !o.op.security?.length) problems.push(`${anonymous}: 401 but no security declared`)
      if ((o.op.security?.length || anonymous.endsWith('→ 401')) && adminCookie) problems.push(...(await check(o, adminCookie)))
    }
    expect(problems).toEqual([])
    expect(seen.length).toBeGreaterThanOrEqual(operations().length)
    expect(validated, seen.join('\n')).toBeGreaterThanOrEqual(5)
  })

  it('operations that declare security refuse anonymous callers with 401', async () => {
    const secured = operations().filter((o) => o.op.security?.length)
    for (const o of secured) {
      const [url, init] = buildRequest(o)
      const res = await container.app.request(url, init)
      expect([401, 403], `${o.method} ${o.path}`).toContain(res.status)
    }
  })

  it('GET /docs serves the interactive reference pointing at /openapi.json', async () => {
    const res = await container.app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const html = await res.text()
    expect(html).toContain('/openapi.json')
    expect(html).toMatch(/<script/)
  })
})
