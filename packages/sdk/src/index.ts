export { defineSkill } from './define-skill.js'
export type {
  SkillContext,
  SkillDefinition,
  SkillLogger,
  SkillModel,
  SkillPrincipal,
} from '@skillos/contracts'
export { defineTool, type ToolImplementation } from '@skillos/core'
