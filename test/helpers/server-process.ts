import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from './redis-server.js'

/**
 * `node-dist` and `npm-start` are the production start (compiled JS from `npm run build`); `node` runs the sources
 * through tsx; `pid1` is `node dist/…` as a container's PID 1 (a PID namespace of its own: `unshare`, root only).
 */
export type Runtime = 'node' | 'bun' | 'deno' | 'node-dist' | 'npm-start' | 'pid1'

const ROOT = join(import.meta.dirname, '..', '..')

/** The command that serves the app on each runtime, as a user would run it. */
export const RUNTIME_COMMANDS: Record<Runtime, [string, string[]]> = {
  node: [join(ROOT, 'node_modules/.bin/tsx'), ['src/main.node.ts']],
  bun: [join(ROOT, 'node_modules/.bin/bun'), ['src/main.bun.ts']],
  deno: ['npm', ['run', '--silent', 'start:deno']],
  'node-dist': [process.execPath, ['dist/node/main.js']],
  'npm-start': ['npm', ['start', '--silent']],
  pid1: ['unshare', ['--pid', '--fork', '--kill-child', process.execPath, 'dist/node/main.js']],
}

export interface ServerProcess {
  runtime: Runtime
  url: string
  port: number
  child: ChildProcess
  /** Every stdout line so far (JSON log lines). */
  lines: string[]
  stderr: string[]
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>
  signal(sig: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Starts `src/main.<runtime>.ts` as a child process on a free loopback port and waits for its
 * `listening` log line (or, below LOG_LEVEL=info, for `/health` to answer). `env` is added to a minimal environment (no inherited cache/database settings).
 */
export async function startServer(runtime: Runtime, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()))
  const [cmd, args] = RUNTIME_COMMANDS[runtime]
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', APP_ENV: 'test', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)))
  let buffered = ''
  let poll: ReturnType<typeof setInterval> | undefined
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} server did not start in ${timeoutMs} ms: ${stderr.join('')}`)), timeoutMs)
    const ready = () => {
      clearTimeout(timer)
      resolve()
    }
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString()
      const parts = buffered.split('\n')
      buffered = parts.pop()!
      for (const line of parts) {
        lines.push(line)
        if (line.includes('"msg":"listening"')) ready()
      }
    })
    child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
    // Below LOG_LEVEL=info there is no `listening` line: poll /health instead.
    poll = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => (r.ok ? ready() : undefined),
        () => {},
      )
    }, 200)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${runtime} server exited (${code}) before listening: ${stderr.join('')}`))
    })
  }).finally(() => clearInterval(poll))
  try {
    await listening
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return {
    runtime,
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    lines,
    stderr,
    exited,
    signal: (sig) => void child.kill(sig),
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
