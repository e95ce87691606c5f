import type { Logger, LogLevel } from '../../src/ports/logger.js'

export interface LogLine {
  level: LogLevel
  msg: string
  fields: Record<string, unknown>
}

/** A Logger that keeps every line in memory, for asserting what was logged (and what was not). */
export function captureLogger(): Logger & { lines: LogLine[]; at(level: LogLevel): LogLine[]; text(): string } {
  const lines: LogLine[] = []
  const make = (bound: Record<string, unknown>): Logger => {
    const log = (level: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, msg, fields: { ...bound, ...fields } })
    }
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (f) => make({ ...bound, ...f }) }
  }
  return Object.assign(make({}), {
    lines,
    at: (level: LogLevel) => lines.filter((l) => l.level === level),
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  })
}
