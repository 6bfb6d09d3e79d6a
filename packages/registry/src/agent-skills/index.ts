export { agentSkillProblemCodes, type AgentSkillProblemCode } from './codes.js'
export {
  normaliseAllowedTools,
  inferToolEffects,
  type NormalisedAllowedTools,
} from './allowed-tools.js'
export { DEFAULT_AGENT_SKILL_DOMAIN } from './agent-skill-manifest.js'
export {
  parseAgentSkill,
  type AgentSkill,
  type ParseAgentSkillOptions,
} from './parse-agent-skill.js'
export { readAgentSkill } from './read-agent-skill.js'
export {
  AGENT_SKILL_FIELDS,
  AGENT_SKILL_LIMITS,
  AGENT_SKILL_NAME_PATTERN,
  MAX_SKILL_MD_BYTES,
  SKILL_MD_FILE,
  agentSkillNameProblems,
} from './spec.js'
export {
  agentSkillFolderName,
  skillMdBody,
  toSkillMd,
  type ToSkillMdOptions,
} from './to-skill-md.js'
export { validateSkillMd } from './validate-skill-md.js'
