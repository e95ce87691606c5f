import { describeAuthHttp } from './auth-http.suite.js'

describeAuthHttp({ cache: 'memory', store: 'postgres', shared: false })
