// Root config, for editors and `pnpm exec eslint` at the top. Each package has its own copy of this line.
export { default } from '@skillos/eslint-config'
