import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const tsx = createRequire(import.meta.url).resolve('tsx')

export interface ChildServer {
  child: ChildProcess
  /** What the server printed after `ready` on its ready line (e.g. a body size), trimmed. */
  readyInfo: string
}

/**
 * Runs a bench server script (`node --import tsx <script>`) in a child process, so load generator and
 * server do not share an event loop, and resolves once it prints a line starting with `ready`.
 */
export async function startChildServer(script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', tsx, script], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const readyInfo = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${timeoutMs / 1000} s`)), timeoutMs)
    child.stdout!.on('data', (d: Buffer) => {
      const m = /ready([^\n]*)/.exec(d.toString())
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!.trim())
      }
    })
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return { child, readyInfo }
}

export async function stopChildServer(s: { child: ChildProcess }): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve())
    s.child.kill('SIGTERM')
  })
}

/** The server's own CPU time in µs, from its `/__cpu` route. */
export async function serverCpuMicros(baseUrl: string): Promise<number> {
  return ((await (await fetch(`${baseUrl}/__cpu`)).json()) as { cpuMicros: number }).cpuMicros
}

/**
 * A process's user-mode CPU in µs, from /proc/<pid>/stat (Linux; NaN elsewhere), in clock ticks of 10 ms:
 * ±0.7 % over a 1.5 s sample at one core. Apart from the kernel's share, which grows by itself when a slower
 * server finds a load generator on the same cores asleep and each write pays for waking it.
 */
export function serverUserMicros(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return Number(fields[11]) * 10_000
  } catch {
    return NaN
  }
}
