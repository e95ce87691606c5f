import { describe, expect, it } from 'vitest'
import { createDeadlines } from './deadlines.js'

const never = () => new Promise<never>(() => {})
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('createDeadlines', () => {
  it('passes answers and errors through', async () => {
    const d = createDeadlines(1000)
    expect(await d.bound(Promise.resolve(42))).toBe(42)
    await expect(d.bound(Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    d.stop()
  })

  it('rejects a call that never answers, after the limit and not before', async () => {
    const d = createDeadlines(100)
    const started = performance.now()
    const err = await d.bound(never()).then(() => undefined, (e: Error) => e)
    expect(err?.message).toBe('no answer within 100 ms')
    expect(performance.now() - started).toBeGreaterThanOrEqual(99)
  })

  it('its sweep never keeps the process alive (unref\'d), even while calls are pending', async () => {
    const before = timers()
    const d = createDeadlines(40)
    const pending = d.bound(never()).catch(() => 'timed out')
    expect(timers()).toBe(before)
    expect(await pending).toBe('timed out')
  })
})
