// The layer table of ../shared/ARCHITECTURE.md §2, as data. A package may import only packages of a
// lower layer. Apps and skills sit on top: they may import any package, and nothing imports them.
export const LAYERS = Object.freeze({
  '@skillos/contracts': 0,
  '@skillos/store': 1,
  '@skillos/budget': 2,
  '@skillos/policy': 2,
  '@skillos/recommender': 2,
  '@skillos/enterprise': 2,
  '@skillos/registry': 3,
  '@skillos/core': 4,
  '@skillos/sdk': 5,
  '@skillos/cli': 6,
})

/** Layer of workspace members that are not in the table: apps (`apps/*`) and skills (`skills/*`). */
export const TOP_LAYER = 7

/** Workspace tooling (test presets, lint and TypeScript config): dev-only, importable from any layer. */
export const TOOLING = Object.freeze([
  '@skillos/vitest-config',
  '@skillos/eslint-config',
  '@skillos/tsconfig',
  '@skillos/bench',
])
