import { defineSkillosConfig } from './index.js'

export default defineSkillosConfig()
