import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/** A Lua script and its SHA-1, computed once so EVALSHA needs no SCRIPT LOAD round trip. */
export interface LuaScript {
  readonly source: string
  readonly sha: string
}

function lua(source: string): LuaScript {
  // Trimmed lines keep the SHA stable whatever the indentation of this file.
  const text = source
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
  return { source: text, sha: createHash('sha1').update(text).digest('hex') }
}

/** Marker the incr script replies with when the key does not hold an integer. */
export const NOT_INTEGER = 'NOT_INTEGER'

/**
 * INCRBY that sets the expiry only when it creates the key, so a counter's window is never extended.
 * ARGV[1] = delta, ARGV[2] = ms to live (`-1` = no expiry, `0` = TTL <= 0: report but store nothing).
 * Replies `{value, pttl}` with pttl `-1` for no expiry. Only "not an integer" becomes `NOT_INTEGER`; any
 * other refusal (OOM at maxmemory, READONLY on a replica…) is passed on as the server said it.
 */
export const INCR = lua(`
  local pttl = redis.call('PTTL', KEYS[1])
  local px = tonumber(ARGV[2])
  if pttl == -2 and px == 0 then return {tonumber(ARGV[1]), 0} end
  local v = redis.pcall('INCRBY', KEYS[1], ARGV[1])
  if type(v) == 'table' then
    if string.find(v.err, 'not an integer', 1, true) then return redis.error_reply('${NOT_INTEGER}') end
    return redis.error_reply(v.err)
  end
  if pttl ~= -2 then return {v, pttl} end
  if px > 0 then
    redis.call('PEXPIRE', KEYS[1], px)
    return {v, px}
  end
  return {v, -1}
`)

/** PERSIST that reports whether the key exists (PERSIST alone answers 0 for a key without expiry). */
export const PERSIST = lua(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  redis.call('PERSIST', KEYS[1])
  return 1
`)

/**
 * EVALSHA, falling back to EVAL only when the server answers NOSCRIPT (after a restart or SCRIPT FLUSH);
 * EVAL also reloads the script cache, so the next call is one EVALSHA again. Any other error propagates.
 */
export function runScript<T>(client: Redis, script: LuaScript, key: string, args: (string | number)[]): Promise<T> {
  return (client.evalsha(script.sha, 1, key, ...args) as Promise<T>).catch((err: unknown) => {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
      return client.eval(script.source, 1, key, ...args) as Promise<T>
    }
    throw err
  })
}
