import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { describeCatalogContract } from '../contracts/catalog.contract.js'

describeCatalogContract('memory', {
  async create() {
    return { store: createMemoryCatalog(), dispose: async () => {} }
  },
})
