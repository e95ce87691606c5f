import type { Redis } from 'ioredis'

/** Redis commands by name since the server started (INFO itself left out), from `INFO commandstats`. */
export async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats')
  const out = new Map<string, number>()
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') out.set(m[1]!, Number(m[2]))
  return out
}

/** Calls per command between two `commandStats` readings (commands with none left out). */
export function commandDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const d = new Map<string, number>()
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) d.set(k, v - (before.get(k) ?? 0))
  return d
}
