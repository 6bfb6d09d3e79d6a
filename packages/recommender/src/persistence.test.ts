import { openDatabase } from '@skillos/store'
import { describePersistenceContract } from './persistence.contract.js'

describePersistenceContract('PGlite in memory', () => openDatabase('memory://'))
