/** Throughput and latency of one benchmark case. Latencies in microseconds. */
export interface Measurement {
  ops: number
  concurrency: number
  opsPerSec: number
  p50: number
  p99: number
}

export interface MeasureOptions {
  /** Measured calls. */
  ops: number
  /** Calls in flight at once (1 = sequential). Default 1. */
  concurrency?: number
  /** Unmeasured calls first (JIT, connection pools, prepared statements). Default min(ops / 10, 5000). */
  warmup?: number
}

/** Every 8th call is timed: timing each one would cost a visible share of a sub-microsecond call. */
const SAMPLE_EVERY = 8

async function drive(fn: (i: number) => Promise<unknown>, ops: number, concurrency: number, samples?: number[]) {
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= ops) return
      if (samples !== undefined && i % SAMPLE_EVERY === 0) {
        const t = performance.now()
        await fn(i)
        samples.push((performance.now() - t) * 1000)
      } else {
        await fn(i)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
}

/** Runs `fn(i)` for i = 0..ops-1 with `concurrency` workers; ops/s from wall time, p50/p99 from samples. */
export async function measure(fn: (i: number) => Promise<unknown>, options: MeasureOptions): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1
  const warmup = options.warmup ?? Math.min(Math.floor(options.ops / 10), 5000)
  if (warmup > 0) await drive(fn, warmup, concurrency)
  const samples: number[] = []
  const start = performance.now()
  await drive(fn, options.ops, concurrency, samples)
  const seconds = (performance.now() - start) / 1000
  samples.sort((a, b) => a - b)
  return {
    ops: options.ops,
    concurrency,
    opsPerSec: options.ops / seconds,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
  }
}

/**
 * Measures a raw baseline and the adapter in alternating rounds and keeps each one's best round, so a
 * burst of load from elsewhere on a shared machine does not decide the ratio.
 */
export async function compare(
  raw: (i: number) => Promise<unknown>,
  adapter: (i: number) => Promise<unknown>,
  options: MeasureOptions & { rounds?: number },
): Promise<{ raw: Measurement; adapter: Measurement }> {
  let best: { raw?: Measurement; adapter?: Measurement } = {}
  for (let r = 0; r < (options.rounds ?? 2); r++) {
    const a = await measure(raw, options)
    const b = await measure(adapter, options)
    best = {
      raw: !best.raw || a.opsPerSec > best.raw.opsPerSec ? a : best.raw,
      adapter: !best.adapter || b.opsPerSec > best.adapter.opsPerSec ? b : best.adapter,
    }
  }
  return best as { raw: Measurement; adapter: Measurement }
}
