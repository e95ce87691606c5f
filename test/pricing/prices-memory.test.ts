import { describePricesHttp } from './prices-http.suite.js'

describePricesHttp('memory')
