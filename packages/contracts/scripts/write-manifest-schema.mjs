// Writes dist/skill-manifest.schema.json from the built zod schema, so editors can complete
// skill.yaml (`# yaml-language-server: $schema=…/skill-manifest.schema.json`).
import { writeFile } from 'node:fs/promises'
import { skillManifestJsonSchema } from '../dist/index.js'

const target = new URL('../dist/skill-manifest.schema.json', import.meta.url)
await writeFile(target, `${JSON.stringify(skillManifestJsonSchema(), null, 2)}\n`)
