import { describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createFixedWindowLimiter } from '../../src/use-cases/rate-limit/index.js'
import { describeRateLimitSuite } from './suite.js'
import { describeLoginThrottleSuite } from './login-suite.js'

const create = (prefix: string) => createMemoryCache({ prefix })
describeRateLimitSuite({ name: 'memory', createCache: create, shared: false })
describeLoginThrottleSuite({ name: 'memory', createCache: create })

describe('fixed-window limiter (memory)', () => {
  const limiter = (limit = 3) =>
    createFixedWindowLimiter(createMemoryCache(), { name: 'api', limit, windowSeconds: 60, onBackendFailure: 'open' }, silentLogger)

  it('undo takes a hit back, never below an empty window; reset forgets the client', async () => {
    const l = limiter()
    await l.hit('c')
    await l.hit('c')
    await l.undo('c')
    expect(await l.hit('c')).toMatchObject({ counted: true, used: 2, remaining: 1, allowed: true })
    await l.reset('c')
    await l.undo('c') // no window: nothing to take back, and no negative count left behind
    expect(await l.hit('c')).toMatchObject({ used: 1 })
  })

  it('reports allowed and blocked hits, and rejects a nonsensical policy', async () => {
    const l = limiter(1)
    await l.hit('c')
    expect(await l.hit('c')).toMatchObject({ allowed: false, remaining: 0 })
    expect(l.stats()).toEqual({ allowed: 1, blocked: 1, failedOpen: 0 })
    const bad = (p: object) => () =>
      createFixedWindowLimiter(createMemoryCache(), { name: 'api', limit: 1, windowSeconds: 1, onBackendFailure: 'open', ...p }, silentLogger)
    expect(bad({ limit: 0 })).toThrow(TypeError)
    expect(bad({ windowSeconds: 0 })).toThrow(TypeError)
    expect(bad({ name: 'a:b' })).toThrow(TypeError)
  })
})
