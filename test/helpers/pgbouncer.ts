import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { freePort } from './redis-server.js'
import { TEST_DATABASE_URL, uniqueName } from './services.js'

/**
 * A real PgBouncer (`apt-get install -y pgbouncer`) on a free port in front of the test PostgreSQL, in
 * transaction pooling mode and otherwise its default configuration (auth_type trust, so the users it
 * admits are listed in an auth file it is given). PgBouncer refuses to run as root: under root it is
 * started with `-u postgres`.
 *
 * Each user gets a schema of its own through the role's `search_path` (PgBouncer refuses the `options`
 * start-up parameter the other suites use for that).
 */
export interface PgBouncer {
  port: number
  /** DATABASE_URL through PgBouncer for `user` (one of those it was started with). */
  url(user: string): string
  stop(): Promise<void>
}

export interface BouncedSchema {
  user: string
  schema: string
  drop(): Promise<void>
}

/** A login role whose search_path is a fresh schema it owns (superuser: the catalog migrations create extensions). */
export async function createBouncedSchema(label: string): Promise<BouncedSchema> {
  const name = uniqueName(label)
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create role "${name}" login superuser`)
  await admin.unsafe(`create schema "${name}" authorization "${name}"`)
  await admin.unsafe(`alter role "${name}" set search_path = "${name}"`)
  await admin.end()
  return {
    user: name,
    schema: name,
    async drop() {
      const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
      await sql.unsafe(`drop schema if exists "${name}" cascade`)
      await sql.unsafe(`drop role if exists "${name}"`)
      await sql.end()
    },
  }
}

export async function startPgBouncer(users: string[]): Promise<PgBouncer> {
  const target = new URL(TEST_DATABASE_URL)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'pgbouncer-'))
  chmodSync(dir, 0o755)
  const authFile = join(dir, 'userlist.txt')
  writeFileSync(authFile, users.map((u) => `"${u}" ""`).join('\n') + '\n', { mode: 0o644 })
  const ini = join(dir, 'pgbouncer.ini')
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${authFile}`,
      'pool_mode = transaction',
      '',
    ].join('\n'),
    { mode: 0o644 },
  )
  const asRoot = process.getuid?.() === 0
  const child: ChildProcess = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()))
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const started = performance.now()
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)))
      s.on('error', () => resolve(false))
    })
    if (up) break
    if (child.exitCode !== null || performance.now() - started > 10_000) {
      child.kill('SIGKILL')
      throw new Error(`pgbouncer did not start: ${output.join('')}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port,
    url: (user) => `postgres://${user}@127.0.0.1:${port}/${target.pathname.slice(1) || 'postgres'}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
