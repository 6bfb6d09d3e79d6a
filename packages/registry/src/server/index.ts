export { blobKeyOf, integrityOfBlobKey, type BlobEntry, type BlobStore } from './blob-store.js'
export { createDiskBlobStore } from './disk-blob-store.js'
export { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js'
export { computeQuality, type Quality, type QualityCheck, type QualityInput } from './quality.js'
export {
  createRegistrySearch,
  type CatalogEntry,
  type RegistrySearch,
  type SearchVisibility,
} from './search.js'
export {
  createRegistryService,
  type PackumentResponse,
  type RegistryLogger,
  type RegistryService,
  type RegistryServiceOptions,
  type TarballResponse,
} from './registry-service.js'
export {
  generateToken,
  hashToken,
  scopeRoles,
  tokenRoles as registryTokenRoles,
  type ScopeRole,
} from './tokens.js'
export { createUpstream, type Upstream, type UpstreamOptions } from './upstream.js'
// The wire shapes (Packument, SearchResult, …) are exported once, by ./client (the same JSON).
export type {
  Principal as RegistryPrincipal,
  PublishInput,
  ScopeSettings,
  SearchQuery as RegistrySearchQuery,
  VersionInfo,
} from './types.js'
