import { describe, expect, it } from 'vitest'
import { createJsonLogger } from './json-logger.js'

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: Record<string, unknown>[] = []
  const logger = createJsonLogger({ level, write: (l) => lines.push(JSON.parse(l)) })
  return { logger, lines }
}

describe('json logger', () => {
  it('writes one JSON object per call with time, level and msg, at or above its level', () => {
    const { logger, lines } = capture('warn')
    logger.info('dropped')
    logger.warn('kept', { n: 1 })
    logger.error('also kept')
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'kept'], ['error', 'also kept']])
    expect(lines[0]).toMatchObject({ n: 1 })
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time)
  })

  it('children add their fields to every line; call fields win; the parent is unchanged', () => {
    const { logger, lines } = capture()
    const child = logger.child({ requestId: 'r1', a: 1 }).child({ b: 2 })
    child.info('x', { a: 3 })
    logger.info('y')
    expect(lines[0]).toMatchObject({ requestId: 'r1', a: 3, b: 2, msg: 'x' })
    expect(lines[1]).not.toHaveProperty('requestId')
  })

  it('redacts secret field names at any depth and credentials in URLs, in base fields too', () => {
    const { logger, lines } = capture()
    logger.child({ sessionId: 'abc' }).info('login', {
      password: 'hunter2',
      nested: { Authorization: 'Bearer t', list: [{ cookie: 'sid=1' }], ok: 'fine' },
      url: 'redis://user:s3cret@host:6379/0',
      plain: 'no scheme: user:pw@host',
    })
    const text = JSON.stringify(lines[0])
    for (const secret of ['hunter2', 'Bearer t', 'sid=1', 's3cret', '"abc"']) expect(text).not.toContain(secret)
    expect(lines[0]).toMatchObject({ password: '[redacted]', sessionId: '[redacted]', url: 'redis://user:***@host:6379/0' })
    expect((lines[0]!.nested as Record<string, unknown>).ok).toBe('fine')
    expect(lines[0]!.plain).toBe('no scheme: user:pw@host')
  })
})
