export {
  createRegistryClient,
  normaliseRegistryUrl,
  DEFAULT_DOWNLOAD_MAX_BYTES,
  type DeprecateRequest,
  type DownloadOptions,
  type PublishRequest,
  type RegistryClient,
  type RegistryClientOptions,
  type SearchQuery,
} from './registry-client.js'
export type {
  CreatedToken,
  DeprecateResult,
  Packument,
  PublishResult,
  ScopeInfo,
  ScopeMember,
  SearchResponse,
  SearchResult,
  TokenInfo,
  TokenRole,
  VersionMetadata,
  Whoami,
} from './wire.js'
export { parseSkillId, parseSkillSpec, type SkillSpec } from './skill-spec.js'
export { defaultRange, resolveVersion, type ResolvedVersion } from './resolve.js'
export {
  LOCKFILE_NAME,
  LOCKFILE_VERSION,
  emptyLockfile,
  formatLockfile,
  lockEntrySchema,
  lockfileSchema,
  parseLockfile,
  readLockfile,
  writeLockfile,
  type LockEntry,
  type Lockfile,
} from './lockfile.js'
export {
  credentialsPath,
  readCredentials,
  removeCredential,
  saveCredential,
  savedToken,
  type Credential,
  type Credentials,
} from './credentials.js'
export {
  findOutdated,
  installFromLockfile,
  installSkills,
  skillDirectory,
  updateSkills,
  type InstallOptions,
  type InstallReport,
  type InstallResult,
  type OutdatedSkill,
} from './install.js'
export { publishSkill, type PublishSkillOptions, type PublishedSkill } from './publish.js'
