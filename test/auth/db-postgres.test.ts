import { describeAuthHttp } from './auth-http.suite.js'

describeAuthHttp({ cache: 'db', store: 'postgres', shared: true })
