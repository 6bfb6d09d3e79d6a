import { describeRegistry } from './registry.contract.js'

describeRegistry({
  name: 'embedded PGlite + in-process key-value',
  async open() {
    return { options: { databaseUrl: 'memory://' }, async cleanup() {} }
  },
})
