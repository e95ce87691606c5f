/**
 * `npm run bench:near-modes`: Redis client tracking in BCAST mode (what the near tier uses, docs/near-cache.md)
 * against default mode, on a redis-server of its own, with the near tier's access pattern modelled directly:
 * three instances, each a local copy set, a data connection and a subscriber (RESP2, so REDIRECT). A read is a
 * local hit when the key is in the set, else a GET that fills it; an invalidation removes the key.
 * - BCAST: a third connection per instance runs `TRACKING on REDIRECT <sub> BCAST PREFIX s:`; reads go through a
 *   plain data connection.
 * - default: the data connection itself runs `TRACKING on REDIRECT <sub>`, so Redis remembers every key it read.
 * Workload: BENCH_KEYS (30,000) session keys; each instance reads its own third (sticky users) 80 % of the time
 * and a hot shared set of 100 keys 20 %, BENCH_READS (20,000) reads/s per instance; a writer rewrites random
 * keys (90 % any key, 10 % hot) at BENCH_WRITES (2,000) writes/s. BENCH_DURATION_MS (5,000) per mode after a
 * 2 s warm-up. Reported per mode: invalidation messages per write and instance, the share that removed a
 * copy the instance held, near hit rate, Redis GETs per read, Redis CPU per second (INFO cpu) and the memory
 * of its tracking table (INFO memory `mem_clients_normal` is not it: `used_memory` delta with
 * `tracking_total_keys`).
 */
import { Redis } from 'ioredis'
import { startOwnRedis } from '../test/helpers/redis-server.js'
import { progress } from './lib/report.js'
import { envInt } from './lib/services.js'

const KEYS = envInt('BENCH_KEYS', 30_000)
const READS = envInt('BENCH_READS', 20_000)
const WRITES = envInt('BENCH_WRITES', 2_000)
const DURATION_MS = envInt('BENCH_DURATION_MS', 5_000)
const INSTANCES = 3
const HOT = 100
const TICK_MS = 10
type Mode = 'bcast' | 'default'

interface Instance {
  copies: Set<string>
  data: Redis
  sub: Redis
  tracker?: Redis
  counts: { messages: number; useful: number; hits: number; gets: number; reads: number }
}

const key = (i: number) => `s:${i}`
const rand = (n: number) => Math.floor(Math.random() * n)

async function open(url: string, mode: Mode): Promise<Instance> {
  const data = new Redis(url, { enableAutoPipelining: true })
  const sub = new Redis(url)
  const id = (await sub.client('ID')) as number
  const inst: Instance = { copies: new Set(), data, sub, counts: { messages: 0, useful: 0, hits: 0, gets: 0, reads: 0 } }
  sub.on('messageBuffer', (_channel: Buffer, message: Buffer[] | Buffer | null) => {
    if (message === null) return inst.copies.clear()
    for (const raw of Array.isArray(message) ? message : [message]) {
      inst.counts.messages++
      if (inst.copies.delete(raw.toString())) inst.counts.useful++
    }
  })
  await sub.subscribe('__redis__:invalidate')
  if (mode === 'bcast') {
    inst.tracker = new Redis(url)
    await inst.tracker.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(id), 'BCAST', 'PREFIX', 's:')
  } else {
    await data.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(id))
  }
  return inst
}

async function read(inst: Instance, index: number, n: number): Promise<void> {
  const own = Math.floor(KEYS / INSTANCES)
  const pending: Promise<unknown>[] = []
  for (let r = 0; r < n; r++) {
    const k = Math.random() < 0.8 ? key(index * own + rand(own)) : key(rand(HOT))
    inst.counts.reads++
    if (inst.copies.has(k)) {
      inst.counts.hits++
      continue
    }
    inst.counts.gets++
    pending.push(inst.data.get(k).then(() => inst.copies.add(k)))
  }
  await Promise.all(pending)
}

async function info(admin: Redis) {
  const text = (await admin.info('cpu')) + (await admin.info('memory')) + (await admin.info('stats'))
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(text)?.[1] ?? NaN)
  return { cpu: field('used_cpu_user') + field('used_cpu_sys'), memory: field('used_memory'), trackedKeys: field('tracking_total_keys') }
}

/** Runs `fn` every TICK_MS until `ms` have passed, ticks never overlapping. */
async function every(ms: number, fn: () => Promise<void>): Promise<void> {
  const until = performance.now() + ms
  while (performance.now() < until) {
    const start = performance.now()
    await fn()
    const rest = TICK_MS - (performance.now() - start)
    if (rest > 0) await new Promise((r) => setTimeout(r, rest))
  }
}

async function run(url: string, mode: Mode) {
  const admin = new Redis(url)
  await admin.flushall()
  const fill = admin.pipeline()
  for (let i = 0; i < KEYS; i++) fill.set(key(i), `session-${i}`.padEnd(200, '.'))
  await fill.exec()
  const writer = new Redis(url, { enableAutoPipelining: true })
  const instances = await Promise.all(Array.from({ length: INSTANCES }, () => open(url, mode)))
  let writes = 0
  const workload = (ms: number) =>
    every(ms, async () => {
      const w: Promise<unknown>[] = []
      for (let i = 0; i < (WRITES * TICK_MS) / 1000; i++) {
        writes++
        w.push(writer.set(key(Math.random() < 0.1 ? rand(HOT) : rand(KEYS)), `v${writes}`.padEnd(200, '.')))
      }
      await Promise.all([...w, ...instances.map((inst, i) => read(inst, i, (READS * TICK_MS) / 1000))])
    })
  progress(`${mode}: warm-up`)
  await workload(2000)
  await new Promise((r) => setTimeout(r, 100))
  for (const inst of instances) inst.counts = { messages: 0, useful: 0, hits: 0, gets: 0, reads: 0 }
  writes = 0
  const before = await info(admin)
  const cpu0 = process.cpuUsage()
  progress(`${mode}: measuring`)
  const t0 = performance.now()
  await workload(DURATION_MS)
  await new Promise((r) => setTimeout(r, 100)) // the last invalidations arrive
  const seconds = (performance.now() - t0) / 1000
  const cpu1 = process.cpuUsage(cpu0)
  const after = await info(admin)
  const sum = (f: (c: Instance['counts']) => number) => instances.reduce((a, inst) => a + f(inst.counts), 0)
  const result = {
    mode,
    writesPerSec: writes / seconds,
    messagesPerWritePerInstance: sum((c) => c.messages) / writes / INSTANCES,
    useful: sum((c) => c.useful) / Math.max(1, sum((c) => c.messages)),
    hitRate: sum((c) => c.hits) / sum((c) => c.reads),
    getsPerRead: sum((c) => c.gets) / sum((c) => c.reads),
    redisCpuMsPerSec: ((after.cpu - before.cpu) * 1000) / seconds,
    clientCpuMsPerSec: (cpu1.user + cpu1.system) / 1000 / seconds,
    trackedKeys: after.trackedKeys,
    memoryMb: after.memory / 1e6,
  }
  for (const inst of instances) for (const c of [inst.data, inst.sub, inst.tracker]) c?.disconnect()
  writer.disconnect()
  admin.disconnect()
  return result
}

const own = await startOwnRedis()
try {
  const rows = []
  for (const mode of ['bcast', 'default', 'bcast', 'default'] as const) rows.push(await run(own.url, mode))
  console.log(
    `\nRedis client tracking, ${INSTANCES} instances, ${KEYS.toLocaleString('en-US')} keys, ${READS.toLocaleString('en-US')} reads/s per instance, ` +
      `~${WRITES.toLocaleString('en-US')} writes/s, ${DURATION_MS / 1000} s per run (two runs per mode, alternating)\n`,
  )
  console.log('| mode | writes/s | invalidations per write and instance | of them removing a held copy | near hit rate | Redis GETs per read | Redis CPU ms/s | client CPU ms/s (all instances) | tracking_total_keys | Redis used_memory MB |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    console.log(
      `| ${r.mode} | ${Math.round(r.writesPerSec).toLocaleString('en-US')} | ${r.messagesPerWritePerInstance.toFixed(3)} | ${(r.useful * 100).toFixed(1)} % | ` +
        `${(r.hitRate * 100).toFixed(1)} % | ${r.getsPerRead.toFixed(3)} | ${r.redisCpuMsPerSec.toFixed(0)} | ${r.clientCpuMsPerSec.toFixed(0)} | ` +
        `${r.trackedKeys.toLocaleString('en-US')} | ${r.memoryMb.toFixed(1)} |`,
    )
  }
} finally {
  await own.stop()
}
