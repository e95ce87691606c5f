import postgres from 'postgres'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { cacheCommands } from '../../src/cli/cache.js'
import { loadConfig } from '../../src/config.js'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createTestSchema, uniqueName } from '../helpers/services.js'

/** Runs a command as the dispatcher does, capturing what it prints on stdout. */
async function run(name: string, env: Record<string, string>, args: string[] = []) {
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    const code = await cacheCommands[name].run(args, loadConfig({ LOG_LEVEL: 'error', ...env }))
    return { code, out }
  } finally {
    spy.mockRestore()
    err.mockRestore()
  }
}

afterEach(() => vi.restoreAllMocks())

describe('cache CLI on the memory backend', () => {
  const env = { CACHE_BACKEND: 'memory' }

  it('ping answers ok', async () => {
    const { code, out } = await run('ping', env)
    expect(code).toBe(0)
    expect(out).toMatch(/^ok backend=memory active=memory latency=[\d.]+ms/)
  })

  it('stats --local prints this process\'s counters as JSON', async () => {
    const { code, out } = await run('stats', env, ['--local'])
    expect(code).toBe(0)
    expect(JSON.parse(out)).toMatchObject({ backend: 'memory', active: 'memory', degraded: false, hits: 0 })
  })

  it('clear names the namespace it cleared', async () => {
    const { code, out } = await run('clear', { ...env, CACHE_KEY_PREFIX: 'cliapp', CACHE_VERSION: '7' })
    expect(code).toBe(0)
    expect(out).toContain('cleared cliapp:7: on memory')
  })

  it('bench prints ops/s and p50/p99 for set and get', async () => {
    const { code, out } = await run('bench', env, ['--n', '50'])
    expect(code).toBe(0)
    expect(out).toMatch(/^set\s+\d+\s+[\d.]+\s+[\d.]+$/m)
    expect(out).toMatch(/^get\s+\d+\s+[\d.]+\s+[\d.]+$/m)
    expect((await run('bench', env, ['--n', 'x'])).code).toBe(2)
  })

  it('createtable refuses without DATABASE_URL', async () => {
    expect((await run('createtable', env)).code).toBe(2)
  })
})

describe('cache CLI on the db backend', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>
  let env: Record<string, string>
  beforeAll(async () => {
    schema = await createTestSchema('clicache')
    env = { CACHE_BACKEND: 'db', CACHE_STRICT: 'true', DATABASE_URL: schema.url, CACHE_KEY_PREFIX: uniqueName('cli') }
  })
  afterAll(async () => {
    await schema?.drop()
  })

  it('createtable creates an unlogged table, idempotently, and names it without the password', async () => {
    const first = await run('createtable', env)
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/cache table cache_entries ready \(unlogged\)/)
    expect((await run('createtable', env)).code).toBe(0)
    const custom = await run('createtable', env, ['--table', 'other_cache'])
    expect(custom.out).toContain('other_cache ready')
    const sql = postgres(schema.url, { max: 1, onnotice: () => {} })
    const rows = await sql`select relname from pg_class where relnamespace = ${schema.schema}::regnamespace and relkind = 'r' order by relname`
    await sql.end()
    expect(rows.map((r) => r.relname)).toEqual(['cache_entries', 'other_cache'])
    await expect(run('createtable', env, ['--table', 'Bad-Name'])).rejects.toThrow(TypeError)
  })

  it('ping and stats report the db backend', async () => {
    const ping = await run('ping', env)
    expect(ping.out).toMatch(/^ok backend=db active=db latency=/)
    expect(ping.code).toBe(0)
    const stats = JSON.parse((await run('stats', env, ['--local'])).out)
    expect(stats).toMatchObject({ backend: 'db', active: 'db', degraded: false })
  })

  it('clear deletes only this prefix', async () => {
    const mine = await createSqlCache({ url: schema.url, prefix: env.CACHE_KEY_PREFIX })
    const theirs = await createSqlCache({ url: schema.url, prefix: `${env.CACHE_KEY_PREFIX}x` })
    await mine.set('k', 1)
    await theirs.set('k', 2)
    const { code, out } = await run('clear', env)
    expect(code).toBe(0)
    expect(out).toContain(`cleared ${env.CACHE_KEY_PREFIX}:1: on db`)
    expect(await mine.get('k')).toBeUndefined()
    expect(await theirs.get('k')).toBe(2)
    await mine.close()
    await theirs.close()
  })

  it('bench leaves none of its keys behind', async () => {
    const { code, out } = await run('bench', env, ['--n', '20'])
    expect(code).toBe(0)
    expect(out).toContain('backend=db')
    const sql = postgres(schema.url, { max: 1, onnotice: () => {} })
    const [row] = await sql`select count(*)::int as n from cache_entries where key like '%cli-bench%'`
    await sql.end()
    expect(row.n).toBe(0)
  })
})
