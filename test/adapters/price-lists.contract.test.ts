import { createMemoryPriceLists } from '../../src/adapters/memory/price-lists.js'
import { createPgClient } from '../../src/adapters/sql/client.js'
import { createPgPriceLists } from '../../src/adapters/sql/price-lists.js'
import { describePriceListContract } from '../contracts/price-list.contract.js'
import { createTestSchema } from '../helpers/services.js'

describePriceListContract('memory', { create: async () => ({ store: createMemoryPriceLists(), dispose: async () => {} }) })

describePriceListContract('postgres', {
  async create() {
    const schema = await createTestSchema('prices')
    const sql = createPgClient(schema.url, { max: 2 })
    const store = await createPgPriceLists(sql)
    return {
      store,
      async dispose() {
        await sql.end()
        await schema.drop()
      },
    }
  },
})
