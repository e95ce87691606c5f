import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

/** Commands run exactly as the README prints them, as child processes. */
const ROOT = join(import.meta.dirname, '..', '..')

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}

let server: ServerProcess

beforeAll(async () => {
  server = await startServer('node', { CACHE_BACKEND: 'memory', ADMIN_USERNAME: 'example-admin', ADMIN_PASSWORD: 'Example-Secret-42' })
}, 30_000)

afterAll(async () => {
  await server?.stop()
})

describe('as the README says', () => {
  it('npx tsx examples/client.ts runs against a real server (BASE_URL), logging in when given an admin', async () => {
    const { code, out, err } = await run('npx', ['tsx', 'examples/client.ts'], {
      BASE_URL: server.url,
      ADMIN_USERNAME: 'example-admin',
      ADMIN_PASSWORD: 'Example-Secret-42',
    })
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(out).toContain('health: ok')
    expect(out).toMatch(/search "beton": [1-9]\d* jobs/)
    expect(out).toMatch(/job \S+: \d+ components/)
    expect(out).toContain('logged in as example-admin (admin)')
    expect(out).toContain('logout: 204')
  }, 60_000)

  it('the example says where it looked when no server answers', async () => {
    const { code, err } = await run('npx', ['tsx', 'examples/client.ts'], { BASE_URL: 'http://127.0.0.1:9' })
    expect(code).toBe(1)
    expect(err).toContain('is the API running at http://127.0.0.1:9?')
  }, 60_000)

  it('npm run cli -- nope says the command is unknown and exits 2', async () => {
    const { code, err } = await run('npm', ['run', '--silent', 'cli', '--', 'nope'])
    expect(code).toBe(2)
    expect(err).toContain('unknown command: nope')
    expect(err).toContain('usage:')
    const sub = await run('npm', ['run', '--silent', 'cli', '--', 'cache', 'nope'])
    expect(sub.code).toBe(2)
    expect(sub.err).toContain('unknown command: cache nope')
  }, 60_000)
})
