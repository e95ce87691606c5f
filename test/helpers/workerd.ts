import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './redis-server.js'

const ROOT = join(import.meta.dirname, '..', '..')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** `npm run build:workerd` as a user runs it: the bundle `deploy/workerd/config.capnp` embeds. */
export async function buildWorker(): Promise<void> {
  await promisify(execFile)(NPM, ['run', '--silent', 'build:workerd'], { cwd: ROOT, timeout: 60_000 })
}

export interface WorkerdProcess {
  url: string
  child: ChildProcess
  stdout: string[]
  stderr: string[]
  exited: Promise<number | string>
  stop(): Promise<void>
}

/**
 * `workerd serve <config>` (default: the app's, deploy/workerd/config.capnp) on a free loopback port (or `port`) with `env` as its environment (the config
 * reads every setting `fromEnvironment`); resolves once workerd says it is listening (the app itself is built on
 * the first request).
 */
export async function startWorkerd(
  env: Record<string, string> = {},
  { config = 'deploy/workerd/config.capnp', timeoutMs = 15_000, port: fixedPort }: { config?: string; timeoutMs?: number; port?: number } = {},
): Promise<WorkerdProcess> {
  const port = fixedPort ?? (await freePort())
  const child = spawn(join(ROOT, 'node_modules/.bin/workerd'), ['serve', config, '-s', `http=127.0.0.1:${port}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, APP_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: string[] = []
  const stderr: string[] = []
  child.stdout!.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)))
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd did not listen in ${timeoutMs} ms: ${stderr.join('')}`)), timeoutMs)
    child.stderr!.on('data', (d: Buffer) => {
      stderr.push(d.toString())
      if (stderr.join('').includes('Listening on')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`workerd exited (${code}) before listening: ${stderr.join('')}`))
    })
  }).catch((err: Error) => {
    child.kill('SIGKILL')
    throw err
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stdout,
    stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}
