export { Bm25Index, type Bm25Options } from './bm25.js'
export { FilterIndex, OrdinalSet } from './filter-index.js'
export {
  calibrate,
  CALIBRATION_FEATURES,
  type Calibration,
  type CalibrationFeatures,
  calibrationInputs,
  DEFAULT_CALIBRATION,
} from './calibration.js'
export { dot, type Embedder, normalizeVector } from './embedder.js'
export { createHashEmbedder, type HashEmbedderOptions } from './hash-embedder.js'
export { createCompositeEmbedder, type CompositePart } from './composite-embedder.js'
export { createUseEmbedder, isMostlyNonLatin, type UseEmbedderOptions } from './use-embedder.js'
export { createMemoryVectorStore, type MemoryVectorStoreOptions } from './memory-vector-store.js'
export {
  createPgvectorVectorStore,
  type PgvectorClient,
  type PgvectorVectorStoreOptions,
} from './pgvector-vector-store.js'
export { createQdrantVectorStore, type QdrantVectorStoreOptions } from './qdrant-vector-store.js'
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './openai-embedder.js'
export {
  createSkillIndex,
  DEFAULT_THRESHOLD,
  MAX_FILTER_IDS,
  MAX_FILTER_TENANTS,
  type MatchExplanation,
  type RouteResult,
  type SearchFilters,
  type SearchOptions,
  type SkillIndex,
  type SkillIndexOptions,
  type SkillMatch,
} from './skill-index.js'
export {
  type SkillDocument,
  type SkillDocumentInput,
  skillDocumentSchema,
} from './skill-document.js'
export { analyze, isStopword, normalizeText, stem } from './text.js'
export {
  matchesFilter,
  type VectorFilter,
  type VectorHit,
  type VectorRecord,
  type VectorStore,
} from './vector-store.js'
