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

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, '$1$2:***@')
  if (value === null || typeof value !== 'object' || depth > 4) return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET.test(k) ? '[redacted]' : redact(v, depth + 1)
  return out
}

/** One JSON object per line: `{time, level, msg, ...fields}`, secrets redacted. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const base = options.base ?? {}
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    const entry = redact({ time: new Date().toISOString(), level, msg, ...base, ...fields })
    write(JSON.stringify(entry))
  }
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createJsonLogger({ ...options, base: { ...base, ...fields } }),
  }
}
