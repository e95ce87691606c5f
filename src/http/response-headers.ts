/**
 * @module
 * Response headers kept as a plain object until the response is built, and the builders routes use.
 *
 * Why not `c.header()`: the first call makes Hono allocate a `Headers` for the response, which
 * @hono/node-server then has to walk and convert back into a plain object before `writeHead`. A Response
 * built with a plain-object `headers` is written as is. Measured with 11 headers on one JSON route
 * (scratch runs, 50 connections): `c.header()` 0.69× a header-less route, the same headers as a plain
 * object 0.89×. Middlewares (request id, secure headers, rate limits) and routes therefore put headers
 * here, and routes answer with `json()`/`body()` from this module, which build the Response in one go.
 *
 * Anything that answers another way (a library route, `c.text()`, a handler's own `Response`) still gets
 * every header: a middleware that sets headers passes on with `nextWithHeaders(c, next)`, and the
 * outermost one to do so copies, after the chain, whatever the response does not carry yet onto it (the
 * slow, `Headers` path, only for those responses). Inner ones just return `next()`: no extra async step.
 * One value per name; `Set-Cookie` included (this API sets at most one cookie per response).
 *
 * Never `c.header()` in this app: `json()`/`body()` do not see Hono's prepared headers, so such a header
 * would be lost (`test/architecture.test.ts` refuses it).
 */
import type { Context, TypedResponse } from 'hono'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import type { JSONParsed, JSONValue } from 'hono/utils/types'

interface PendingHeaders {
  /** Headers fixed for the app (secure headers), shared by every request: never mutated. */
  fixed: Readonly<Record<string, string>>
  values: Record<string, string>
  /** The Response these headers were built into (or copied onto); anything else still needs them. */
  appliedTo: Response | undefined
  /** An outer middleware will flush after the chain (see `nextWithHeaders`). */
  flushing: boolean
}

const KEY = 'responseHeaders'
const NONE: Readonly<Record<string, string>> = Object.freeze({})

function state(c: Context): PendingHeaders | undefined {
  return c.get(KEY) as PendingHeaders | undefined
}

function ensure(c: Context): PendingHeaders {
  let s = state(c)
  if (!s) c.set(KEY, (s = { fixed: NONE, values: {}, appliedTo: undefined, flushing: false }))
  return s
}

/** Sets `name` on this request's response, whoever builds it. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const s = ensure(c)
  s.values[name] = value
  // Already answered (a middleware on the way out): the response itself must change.
  if (c.finalized) copyOnto(c.res, { [name]: value })
}

/** Headers every response of the app carries (built once by the caller; not copied per request). */
export function setFixedResponseHeaders(c: Context, fixed: Readonly<Record<string, string>>): void {
  ensure(c).fixed = fixed
}

function build(c: Context, body: string | null, status: StatusCode, contentType: string | undefined): Response {
  const s = state(c)
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType }
  if (s) Object.assign(headers, s.fixed, s.values)
  const res = new Response(body, { status, headers })
  if (s) s.appliedTo = res
  return res
}

/** `c.json()` with the pending headers, typed like it so typed routes and `hc` clients see the body. */
export function json<T extends JSONValue | object, S extends ContentfulStatusCode = 200>(
  c: Context,
  data: T,
  status?: S,
  contentType = 'application/json',
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  return build(c, JSON.stringify(data), status ?? 200, contentType) as Response & TypedResponse<JSONParsed<T>, S, 'json'>
}

/** A response with a prepared body (already-serialised JSON, text) or none (`null`, e.g. 204). */
export function body(c: Context, text: string | null, status: StatusCode, contentType?: string): Response {
  return build(c, text, status, text === null ? undefined : contentType)
}

function copyOnto(res: Response, headers: Readonly<Record<string, string>>): void {
  try {
    for (const name in headers) res.headers.set(name, headers[name]!)
  } catch {
    // immutable headers (a proxied fetch Response): nothing to add them to
  }
}

/**
 * `next()` for a middleware that set response headers. The outermost caller also flushes them after the
 * chain (see `flushResponseHeaders`); the others return `next()` as is.
 */
export function nextWithHeaders(c: Context, next: () => Promise<void>): Promise<void> {
  const s = ensure(c)
  if (s.flushing) return next()
  s.flushing = true
  return next().then(() => flushResponseHeaders(c))
}

/**
 * After the chain: copies the pending headers onto a response that was not built with them (a library
 * route, an error answered by another handler). A no-op for responses built by `json()`/`body()`.
 */
export function flushResponseHeaders(c: Context): void {
  const s = state(c)
  if (!s || !c.finalized) return
  const res = c.res
  if (s.appliedTo === res) return
  copyOnto(res, s.fixed)
  copyOnto(res, s.values)
  s.appliedTo = res
}
