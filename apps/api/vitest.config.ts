import { defineSkillosConfig } from '@skillos/vitest-config'

export default defineSkillosConfig()
