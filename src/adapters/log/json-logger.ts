import type { LogLevel, Logger } from '../../ports/logger.js'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
/** Field names whose values never reach a log line, whatever a caller passes. */
const SECRET = /pass(word)?|secret|token|cookie|authorization|^sid$|session_?id/i
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^:/@\s]*):([^@\s]*)@/gi

export interface JsonLoggerOptions {
  level?: LogLevel
  /** Where lines go; default stdout (Node and Bun both have `process.stdout`). */
  write?: (line: string) => void
  base?: Record<string, unknown>
}

/**
 * `SECRET.test(name)`, memoised: a process logs the same few dozen field names over and over (the access
 * log writes one line per request). Bounded, so odd callers cannot grow it without limit.
 */
const secretNames = new Map<string, boolean>()
function isSecretName(name: string): boolean {
  let secret = secretNames.get(name)
  if (secret === undefined) {
    secret = SECRET.test(name)
    if (secretNames.size < 1000) secretNames.set(name, secret)
  }
  return secret
}

function redact(value: unknown, depth = 0): unknown {
  // Only a string with a scheme can hold URL credentials: skip the regex for every other one.
  if (typeof value === 'string') return value.includes('://') ? value.replace(URL_CREDENTIALS, '$1$2:***@') : value
  if (value === null || typeof value !== 'object' || depth > 4) return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const k in value) {
    if (Object.hasOwn(value, k)) out[k] = isSecretName(k) ? '[redacted]' : redact((value as Record<string, unknown>)[k], depth + 1)
  }
  return out
}

/** One JSON object per line: `{time, level, msg, ...fields}`, secrets redacted. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'))
  return new JsonLogger(min, write, options.base ?? {})
}

/**
 * A class rather than closures: the request log makes a child (carrying the request id) per request, and
 * a child here is one small object, not five new functions.
 */
class JsonLogger implements Logger {
  constructor(
    private readonly min: number,
    private readonly out: (line: string) => void,
    private readonly base: Record<string, unknown>,
  ) {}

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < this.min) return
    const entry = redact({ time: new Date().toISOString(), level, msg, ...this.base, ...fields })
    this.out(JSON.stringify(entry))
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', msg, fields)
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields)
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields)
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields)
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.min, this.out, { ...this.base, ...fields })
  }
}
