import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { TEST_REDIS_URL } from '../helpers/services.js'
import { describeLoginThrottleSuite } from './login-suite.js'
import { describeRateLimitSuite } from './suite.js'

// A client per cache, as separate app instances would have; random prefixes keep runs apart.
const create = (prefix: string) => createRedisCache({ client: TEST_REDIS_URL, prefix })
describeRateLimitSuite({ name: 'redis', createCache: create, shared: true })
describeLoginThrottleSuite({ name: 'redis', createCache: create })
