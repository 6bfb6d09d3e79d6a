#!/usr/bin/env node
import { loadConfig } from '@skillos/core'
import { isEmbedded, startApi } from './server.js'

const { config } = await loadConfig({ env: process.env })
const api = await startApi({ config, devKey: true })
if (api.devKey) {
  const line = '─'.repeat(72)
  process.stdout.write(
    [
      line,
      'SkillOS API on the embedded default (PGlite + in-process KV) — development mode.',
      'A development API key for tenant "dev" (roles admin, approver), shown once:',
      '',
      `  ${api.devKey}`,
      '',
      'Try it:',
      `  curl -s -X POST ${api.url}/v1/runs -H "authorization: Bearer ${api.devKey}" \\`,
      `    -H 'content-type: application/json' -d '{"input":"convert 250 EUR to RUB"}'`,
      '',
      `OpenAPI: ${api.url}/openapi.json   docs: ${api.url}/docs`,
      line,
      '',
    ].join('\n'),
  )
} else if (isEmbedded(config)) {
  process.stdout.write(`SkillOS API listening on ${api.url}\n`)
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}
