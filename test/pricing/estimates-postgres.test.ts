import { describeEstimates } from './estimates.suite.js'

describeEstimates('postgres')
