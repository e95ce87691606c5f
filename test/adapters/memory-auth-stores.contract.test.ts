import { describeSessionStoreContract } from '../contracts/session-store.contract.js'
import { describeUserStoreContract } from '../contracts/user-store.contract.js'
import { createMemorySessionStore } from '../../src/adapters/memory/session-store.js'
import { createMemoryUserStore } from '../../src/adapters/memory/user-store.js'

describeUserStoreContract({ name: 'memory', create: () => createMemoryUserStore() })
describeSessionStoreContract({ name: 'memory', create: ({ now }) => createMemorySessionStore({ now, sweepEvery: 2 }) })
