import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'

describeCachePortContract({ name: 'memory', create: (o) => createMemoryCache(o) })
