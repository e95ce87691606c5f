import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { describeRateLimitSuite } from './suite.js'
import { describeLoginThrottleSuite } from './login-suite.js'

const create = (prefix: string) => createMemoryCache({ prefix })
describeRateLimitSuite({ name: 'memory', createCache: create, shared: false })
describeLoginThrottleSuite({ name: 'memory', createCache: create })
