import { createSchema } from '../../test/helpers/services.js'

/** Where benchmarks find the services: BENCH_* overrides, then the app's variables, then the local defaults. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0'
export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A short random name for key prefixes and schemas, so a benchmark never meets real data. */
export function benchName(label: string): string {
  return `bench_${label}_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`
}

/** A fresh schema (its URL sets `search_path`), dropped by `drop()`; nothing outside it is touched. */
export function benchSchema(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  return createSchema(BENCH_DATABASE_URL, benchName(label))
}

/** Integer from the environment (scales a run down for a quick look, up for a steadier one). */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name])
  return Number.isInteger(v) && v > 0 ? v : fallback
}
