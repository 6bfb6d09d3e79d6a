import type { logLevels, RunEvent, RunEventOf, RunEventType } from '@skillos/contracts'
import pino from 'pino'
import type { DestinationStream, Level, Logger } from 'pino'
import type { StepLog } from '../run/engine.js'
import type { RunEventListener } from '../run/stream.js'
import { redactSecrets, secretLogPaths } from './redact.js'

/** A pino level, or `'silent'` to drop the line. */
export type RunEventLevel = Level | 'silent'

/** Per event type: a level, or a function of the event (`policy.decided` → warn when denied). */
export type RunEventLevels = {
  [K in RunEventType]?: RunEventLevel | ((event: RunEventOf<K>) => RunEventLevel)
}

/**
 * The level of each event type unless `createRunLogger` is told otherwise: progress at info,
 * plumbing (analysis, plans, budget holds, tool calls, step starts) at debug, failures, denials,
 * rejections, cancelled runs, budget warnings and an opening breaker at warn, a failed run at error.
 */
export const defaultRunEventLevels: Readonly<Required<RunEventLevels>> = {
  'run.started': 'info',
  'run.analyzed': 'debug',
  'skill.routed': 'info',
  'skill.no_match': 'info',
  'skill.deprecated': 'warn',
  'run.planned': 'debug',
  'input.requested': 'info',
  'policy.decided': (event) => (event.allowed ? 'debug' : 'warn'),
  'budget.reserved': 'debug',
  'budget.warning': 'warn',
  'budget.committed': 'debug',
  'budget.released': 'debug',
  'approval.requested': 'info',
  'approval.decided': (event) => (event.decision === 'approved' ? 'info' : 'warn'),
  'step.started': 'debug',
  'step.completed': (event) => (event.ok ? 'info' : 'warn'),
  'tool.called': 'debug',
  'tool.failed': 'warn',
  'circuit.changed': (event) => (event.state === 'open' ? 'warn' : 'info'),
  'run.completed': (event) =>
    event.status === 'failed' ? 'error' : event.status === 'refused' ? 'warn' : 'info',
  'run.cancelled': 'warn',
}

export interface RunLoggerOptions {
  /** Overrides of `defaultRunEventLevels`, e.g. `{ 'tool.called': 'info', 'run.analyzed': 'silent' }`. */
  levels?: RunEventLevels
}

export interface RunLogger {
  /** Subscribe with `os.on(listener)`: one JSON line per event. */
  listener: RunEventListener
  /** Pass as the `log` option: handlers' `ctx.log` lines, redacted. */
  stepLog: StepLog
}

/** Keys pino writes itself; a handler's field of the same name would produce a duplicate key. */
const PINO_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v'])

function levelOf(event: RunEvent, levels: RunEventLevels): RunEventLevel {
  // The table is keyed by type, so the rule found for `event.type` accepts this very event.
  const rule = (levels[event.type] ?? defaultRunEventLevels[event.type]) as
    RunEventLevel | ((event: RunEvent) => RunEventLevel)
  return typeof rule === 'function' ? rule(event) : rule
}

function write(logger: Logger, level: RunEventLevel, fields: object, message: string): void {
  if (level === 'silent') return
  logger[level](fields, message)
}

/**
 * Structured logging of runs: `listener` writes one JSON line per `RunEvent` (`msg` is the event
 * type; fields `runId`, `tenant`, `seq`, `elapsedMs` and the event's own fields, the stream's `at`
 * left to pino's `time`), `stepLog` writes the lines handlers send through `ctx.log`. Everything
 * passes through `redactSecrets` first, so a secret in an error's details, a handler's data or a URL
 * in a message never reaches the output. Levels: see `defaultRunEventLevels`; a line below the
 * logger's level costs one `isLevelEnabled` check.
 *
 * @example
 * ```ts
 * const logger = createDefaultLogger(config.log.level)
 * const runLogger = createRunLogger(logger, { levels: { 'tool.called': 'info' } })
 * const os = await createSkillOS({ ...options, log: runLogger.stepLog })
 * os.on(runLogger.listener)
 * // {"level":"info","time":"…","runId":"r_1","tenant":"acme","seq":12,"elapsedMs":840,
 * //  "status":"succeeded","usage":{"tokens":{"input":310,"output":92},"costUsd":0.0042,"ms":840},
 * //  "msg":"run.completed"}
 * ```
 */
export function createRunLogger(logger: Logger, options: RunLoggerOptions = {}): RunLogger {
  const levels = options.levels ?? {}
  const listener: RunEventListener = (event) => {
    const level = levelOf(event, levels)
    if (level === 'silent' || !logger.isLevelEnabled(level)) return
    const { type, at: _at, runId, tenant, seq, elapsedMs, ...fields } = event
    write(
      logger,
      level,
      {
        runId,
        tenant,
        seq,
        ...(elapsedMs === undefined ? {} : { elapsedMs }),
        ...redactSecrets(fields),
      },
      type,
    )
  }
  const stepLog: StepLog = (level, message, data) => {
    if (!logger.isLevelEnabled(level)) return
    const fields: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(redactSecrets(data))) {
      fields[PINO_KEYS.has(key) ? `data.${key}` : key] = value
    }
    write(logger, level, fields, redactSecrets(message))
  }
  return { listener, stepLog }
}

/** A level of the `log.level` setting. */
export type LogLevel = (typeof logLevels)[number]

/**
 * The logger an app or the CLI uses when it brings none: JSON lines to stdout (or `destination`),
 * level labels (`"level":"warn"`), ISO timestamps, and pino's `redact` over `secretLogPaths` for
 * anything logged through it directly.
 *
 * @example
 * ```ts
 * const logger = createDefaultLogger(config.log.level)
 * logger.info({ port: 3000 }, 'listening')
 * ```
 */
export function createDefaultLogger(
  level: LogLevel = 'info',
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: 'skillos',
    level,
    redact: { paths: [...secretLogPaths], censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }
  return destination ? pino(options, destination) : pino(options)
}
