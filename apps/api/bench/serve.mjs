// Started by api.bench.mjs in a child process, so the load generator and the server do not share an
// event loop. `node serve.mjs bare` → a bare Hono hello route; `node serve.mjs api <db> [redis]` →
// the SkillOS API with one trivial skill. Prints one JSON line: { url, key? }.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { resolveConfig } from '@skillos/contracts'
import { createApiKeys } from '@skillos/core'
import { Hono } from 'hono'
import { startApi } from '../dist/index.js'

const [mode, databaseUrl, redisUrl] = process.argv.slice(2)

if (mode === 'bare') {
  const app = new Hono()
  app.post('/hello', (c) => c.json({ hello: 'world' }))
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}/hello` })}\n`)
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
} else {
  const root = join(await mkdtemp(join(tmpdir(), 'skillos-api-bench-')), 'skills')
  await mkdir(join(root, 'bench/echo'), { recursive: true })
  await writeFile(
    join(root, 'bench/echo/skill.yaml'),
    [
      'id: bench/echo',
      'version: 1.0.0',
      'name: Echo',
      'description: Repeat a short text back (benchmark)',
      'examples: [echo hello]',
      'input:',
      '  type: object',
      '  properties: { text: { type: string } }',
      '  required: [text]',
      '',
    ].join('\n'),
  )
  await writeFile(
    join(root, 'bench/echo/index.ts'),
    'export default { handler: ({ text }) => ({ echo: text, length: text.length }) }\n',
  )
  const config = resolveConfig({
    file: {
      path: '(bench)',
      data: {
        database: { url: databaseUrl },
        ...(redisUrl ? { redis: { url: redisUrl } } : {}),
        skills: { roots: [root] },
        log: { level: 'silent' },
        api: {
          rateLimit: { tenant: { limit: 10_000_000 }, principal: { limit: 10_000_000 } },
          maxInFlight: 100_000,
        },
      },
    },
  })
  const api = await startApi({
    config,
    port: 0,
    host: '127.0.0.1',
    logger: false,
    queueName: `bench-${process.pid}`,
  })
  const { key } = await createApiKeys(api.os.database).create('bench', {
    name: 'bench',
    principalId: 'bench-user',
    roles: ['analyst'],
  })
  process.stdout.write(`${JSON.stringify({ url: api.url, key })}\n`)
  process.on('SIGTERM', () => api.close().then(() => process.exit(0)))
}
