import { describeSkillOS } from './skillos.contract.js'

// Embedded: PGlite in memory + the in-process key-value store.
describeSkillOS({
  name: 'PGlite + in-process',
  async open() {
    return { database: 'memory://', redis: undefined, cleanup: async () => undefined }
  },
})
