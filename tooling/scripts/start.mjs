#!/usr/bin/env node
// `pnpm start`: SkillOS's main job on the embedded default, no services needed. Starts the hosted
// API (apps/api) with the 15 skills of skills/ and the skill registry (apps/registry), publishes
// those skills into the registry, runs one request through the API over HTTP, and prints working
// curl commands for both. Keeps serving until Ctrl-C. `--once` stops after the request (used to
// check the command from a clean clone).
//
// Everything lives in ./.skillos/ (PGlite databases, registry blobs); SKILLOS_* variables and
// skillos.config.* apply as for every other entry point (SKILLOS_DATABASE_URL=postgres://… etc.).
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startApi } from '@skillos/app-api'
import { registryOptionsFromConfig, startRegistry } from '@skillos/app-registry'
import { loadConfig } from '@skillos/core'
import { createRegistryClient, publishSkill } from '@skillos/registry'
import pino from 'pino'

const once = process.argv.includes('--once')
const REQUEST = 'convert 250 EUR to RUB'
const logger = pino({ level: 'warn' })

const { config } = await loadConfig({ env: process.env })
const api = await startApi({ config, devKey: true, logger })
let registry
try {
  registry = await startRegistry({ ...registryOptionsFromConfig(config, process.env), logger })
} catch (error) {
  await api.close()
  throw error
}

async function close() {
  await Promise.allSettled([api.close(), registry.close()])
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

/** Publish every skill folder under skills/ once; a version already there is left as it is. */
async function publishLibrary() {
  const { id, token } = await registry.createToken({
    user: 'local',
    role: 'admin',
    name: 'pnpm start',
  })
  const client = createRegistryClient({ url: registry.url, token })
  try {
    return await publishAll(client)
  } finally {
    // A token for this one job: no admin token is left behind by a start.
    await client.revokeToken(id)
  }
}

async function publishAll(client) {
  const roots = config.skills.roots
  let published = 0
  let present = 0
  for (const root of roots) {
    for (const domain of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      if (!domain.isDirectory()) continue
      for (const skill of await readdir(join(root, domain.name), { withFileTypes: true })) {
        if (!skill.isDirectory()) continue
        try {
          await publishSkill(join(root, domain.name, skill.name), { client })
          published++
        } catch (error) {
          if (error?.code !== 'CONFLICT') throw error
          present++
        }
      }
    }
  }
  return { published, present }
}

const library = await publishLibrary()
const key = api.devKey
const response = await fetch(`${api.url}/v1/runs`, {
  method: 'POST',
  headers: {
    ...(key ? { authorization: `Bearer ${key}` } : {}),
    'content-type': 'application/json',
  },
  body: JSON.stringify({ input: REQUEST }),
})
const result = await response.json()
const answer =
  result?.output?.text ?? result?.output?.summary ?? JSON.stringify(result?.output ?? result)

const line = '─'.repeat(78)
const auth = key ? ` -H "authorization: Bearer ${key}"` : ' -H "authorization: Bearer <token>"'
console.log(
  [
    line,
    `SkillOS on the embedded default — API ${api.url} · registry ${registry.url}`,
    '',
    `POST /v1/runs "${REQUEST}" → ${response.status} ${result.status ?? ''}`.trimEnd(),
    `  skill   ${result.skill ? `${result.skill.id}@${result.skill.version}` : '—'}`,
    `  answer  ${answer}`,
    '',
    `Registry: ${library.published} skills published, ${library.present} already there.`,
    key
      ? 'A development API key (tenant "dev", roles admin + approver), shown once; try:'
      : 'Try (with a token of yours):',
    '',
    `  curl -s -X POST ${api.url}/v1/runs${auth} \\`,
    `    -H 'content-type: application/json' -d '{"input":"курс доллара и переведи 250 евро в рубли"}'`,
    `  curl -s '${api.url}/v1/skills/search?q=oyster+margin'${auth}`,
    `  curl -s '${registry.url}/-/search?q=tender+bid'`,
    `  curl -s ${registry.url}/finance/convert-currency`,
    '',
    `OpenAPI: ${api.url}/openapi.json (docs ${api.url}/docs) · ${registry.url}/-/openapi.json (docs ${registry.url}/-/docs)`,
    once ? 'Stopped (--once).' : 'Serving until Ctrl-C.',
    line,
  ].join('\n'),
)

if (once) {
  await close()
  process.exit(response.ok && result.status === 'succeeded' ? 0 : 1)
}
