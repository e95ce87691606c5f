import { describe, expect, it } from 'vitest'
import { createTicker } from './ticker.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('createTicker', () => {
  it('ticks while started, not after stop; start again runs onStart once per start', async () => {
    let ticks = 0
    let starts = 0
    const t = createTicker(() => ticks++, 5, () => starts++)
    expect(t.running).toBe(false)
    t.start()
    t.start() // already running: no second interval, no second onStart
    expect([t.running, starts]).toEqual([true, 1])
    const began = performance.now()
    while (ticks < 4) await sleep(1)
    t.stop()
    const stopped = ticks
    expect(stopped).toBeLessThanOrEqual((performance.now() - began) / 5 + 1) // one interval, not two
    await sleep(30)
    expect([ticks, t.running]).toEqual([stopped, false])
    t.start()
    expect(starts).toBe(2)
    t.stop()
  })
})
