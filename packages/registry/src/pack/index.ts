export { computeIntegrity, verifyIntegrity } from './integrity.js'
export {
  SIGNATURE_CONTEXT,
  generateSigningKeys,
  keyIdOf,
  signIntegrity,
  verifySignature,
  type SigningKeyInput,
  type SkillSignature,
  type TrustedKeys,
} from './signature.js'
export {
  PACK_EXCLUDED_NAMES,
  PACK_IGNORE_FILE,
  parseIgnoreFile,
  type IgnoreMatcher,
} from './ignore.js'
export { DEFAULT_PACK_MAX_BYTES, DEFAULT_PACK_MAX_FILES, PACK_MTIME } from './pack-format.js'
export { packSkill, type PackOptions, type PackedFile, type PackedSkill } from './pack.js'
export {
  inspectTarball,
  unpackSkill,
  type InspectOptions,
  type InspectedSkill,
  type UnpackOptions,
  type UnpackedSkill,
} from './unpack.js'
