import { describeAuthHttp } from './auth-http.suite.js'

describeAuthHttp({ cache: 'redis', store: 'postgres', shared: true })
