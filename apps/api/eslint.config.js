export { default } from '@skillos/eslint-config'
