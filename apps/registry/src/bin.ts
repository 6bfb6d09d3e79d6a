#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { maskUrl, SkillOSError } from '@skillos/contracts'
import { loadConfig } from '@skillos/core'
import { pino } from 'pino'
import { createRegistryApp } from './app.js'
import { registryOptionsFromConfig } from './config.js'
import { startRegistry } from './server.js'

const USAGE = `Usage: skillos-registry <command>

  start                                   serve the registry (SKILLOS_* configuration)
  token create --user <u> --role <r>      create a token directly in the database; prints it once
               [--name <n>]               (role: read | publish | admin)
  sync <scope…>                           mirror these scopes from the upstream registry now
  sweep                                   delete blobs no live version references (older than 1 h)
`

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, sub, ...rest] = positionals
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE)
    return command === undefined && !values.help ? 1 : 0
  }
  const { config } = await loadConfig({ env: process.env })
  const options = registryOptionsFromConfig(config, process.env)
  const pause = Number(process.env.SKILLOS_TEST_PUBLISH_PAUSE_MS ?? 0)

  if (command === 'start') {
    const logger = pino({ level: config.log.level })
    const registry = await startRegistry({
      ...options,
      logger,
      ...(pause > 0 ? { testPublishPauseMs: pause } : {}),
    })
    logger.info(
      {
        url: registry.url,
        database: maskUrl(options.databaseUrl ?? ''),
        keyValue: registry.keyValue.kind,
        blobs: registry.blobs.description,
      },
      `skillos-registry listening on ${registry.url}`,
    )
    const stop = () => {
      void registry.close().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    return -1
  }

  const quiet = pino({ level: 'warn' }, pino.destination(2))
  const registry = await createRegistryApp({ ...options, logger: quiet })
  try {
    if (command === 'token' && sub === 'create') {
      if (!values.user || !values.role) {
        process.stderr.write('token create needs --user <name> and --role read|publish|admin\n')
        return 1
      }
      const created = await registry.createToken({
        user: values.user,
        role: values.role as 'read',
        ...(values.name ? { name: values.name } : {}),
      })
      process.stderr.write(
        `Created ${created.role} token ${created.id} for ${created.user}; it is shown only now:\n`,
      )
      process.stdout.write(`${created.token}\n`)
      return 0
    }
    if (command === 'sync') {
      const scopes = [sub, ...rest].filter((s): s is string => Boolean(s))
      if (scopes.length === 0) {
        process.stderr.write('sync needs at least one scope\n')
        return 1
      }
      for (const { scope, skills } of await registry.service.sync(scopes)) {
        process.stdout.write(
          `${scope}: ${skills.length} skill(s) mirrored${skills.length ? ` (${skills.join(', ')})` : ''}\n`,
        )
      }
      return 0
    }
    if (command === 'sweep') {
      const { deleted } = await registry.service.sweepOrphanBlobs()
      process.stdout.write(`${deleted.length} orphan blob(s) deleted\n`)
      return 0
    }
    process.stderr.write(
      `Unknown command "${[command, sub].filter(Boolean).join(' ')}"\n\n${USAGE}`,
    )
    return 1
  } finally {
    await registry.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    const message = SkillOSError.is(error) ? `${error.code}: ${error.message}` : String(error)
    process.stderr.write(`skillos-registry: ${message}\n`)
    process.exitCode = 1
  },
)
