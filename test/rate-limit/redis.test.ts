import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { TEST_REDIS_URL } from '../helpers/services.js'
import { describeLoginThrottleSuite } from './login-suite.js'
import { describeRateLimitSuite } from './suite.js'

// A client per cache, as separate app instances would have; random prefixes keep runs apart.
// Generous command timeout: a loaded test machine must not turn a slow count into a fail-open pass.
const create = (prefix: string) => createRedisCache({ client: TEST_REDIS_URL, prefix, commandTimeoutMs: 10_000 })
describeRateLimitSuite({ name: 'redis', createCache: create, shared: true })
describeLoginThrottleSuite({ name: 'redis', createCache: create })
