import type { RunEvent, RunResult, RunStatus } from '@skillos/contracts'

/**
 * Exit code of a run: 0 when it succeeded or is waiting for a person (needs_input,
 * awaiting_approval: the command did its job, and the output says what to do next), 1 when it
 * failed, was refused or cancelled.
 */
export function exitCodeOf(status: RunStatus): 0 | 1 {
  return status === 'failed' || status === 'refused' || status === 'cancelled' ? 1 : 0
}

/** What to do next after a run ended with this error code. */
export const NEXT_STEP: Partial<Record<string, string>> = {
  NO_MATCH:
    'say it another way, name the skill with --skill <id>, or see the candidates with: skillos route "<text>"',
  SKILL_NOT_FOUND: 'see which skills loaded, and why others did not, with: skillos validate',
  POLICY_DENIED:
    'act with roles the policy allows (--roles), or change the policy and check it with: skillos policy test',
  BUDGET_EXCEEDED: 'raise the limit (budget.limits in skillos.config.*), or try again later',
  RATE_LIMITED: 'wait a moment and run it again',
  MODEL_NOT_CONFIGURED:
    'set SKILLOS_MODEL_PROVIDER, SKILLOS_MODEL_API_KEY and SKILLOS_MODEL_NAME (skillos doctor shows the model in use)',
  TIMEOUT: "raise budget.timeoutMs in the skill's skill.yaml, or see where it waits with --debug",
  UPSTREAM_FAILED:
    'a service a tool calls failed; see the tool calls with --debug and run it again',
  CIRCUIT_OPEN: 'a failing tool is paused; run it again in a minute',
  UNAVAILABLE: 'check the service with: skillos doctor',
  VALIDATION_FAILED:
    "check the parameters (--param key=value) against the skill's input in skill.yaml",
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits))

/** One progress line per event worth seeing while a run works (stderr); undefined for the rest. */
export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'skill.routed':
      return `→ routed to ${event.skill}@${event.version} (confidence ${round(event.confidence)})`
    case 'skill.no_match':
      return `✗ no skill matches`
    case 'skill.deprecated':
      return `! ${event.skill}@${event.version} is deprecated: ${event.message}${event.replacement ? ` (use ${event.replacement})` : ''}`
    case 'run.planned':
      return `→ plan ${event.mode}: ${event.steps.map((s) => `${s.id} ${s.skill}`).join(', ')}`
    case 'policy.decided':
      return event.allowed
        ? `✓ policy allows ${event.action} on ${event.resource}`
        : `✗ policy denies ${event.action} on ${event.resource}: ${event.explanation}`
    case 'budget.reserved':
      return event.costUsd > 0 ? `✓ budget reserved $${event.costUsd.toFixed(4)}` : undefined
    case 'budget.warning':
      return `! budget ${event.scope}: $${event.spentUsd} of $${event.limitUsd} spent (${event.action})`
    case 'input.requested':
      return `? needs input: ${event.missing.map((m) => m.field).join(', ')}`
    case 'approval.requested':
      return `⏸ approval needed (${event.risk} risk): ${event.reason}`
    case 'approval.decided':
      return `${event.decision === 'approved' ? '✓' : '✗'} approval ${event.decision}${event.by ? ` by ${event.by}` : ''}`
    case 'step.started':
      return `▶ ${event.step} ${event.skill}`
    case 'step.completed':
      return `${event.ok ? '✓' : '✗'} ${event.step} ${event.skill} ${event.ms.toFixed(0)} ms`
    case 'tool.called':
      return `  tool ${event.tool} ${event.ms.toFixed(0)} ms`
    case 'tool.failed':
      return `  ✗ tool ${event.tool}: ${event.error.code}${event.willRetry ? ' (retrying)' : ''}`
    case 'circuit.changed':
      return `! circuit of ${event.tool} is ${event.state}`
    default:
      return undefined
  }
}

const EVENT_BASE = new Set(['type', 'runId', 'tenant', 'seq', 'at', 'elapsedMs'])

/** The trace as a table: time since start, event type, and its own fields. */
export function formatTrace(trace: readonly RunEvent[]): string {
  const width = Math.max(...trace.map((e) => e.type.length), 0)
  return trace
    .map((event) => {
      const fields = Object.fromEntries(
        Object.entries(event).filter(([key]) => !EVENT_BASE.has(key)),
      )
      const at = `+${(event.elapsedMs ?? 0).toFixed(0)} ms`.padStart(9)
      return `  ${at}  ${event.type.padEnd(width)}  ${JSON.stringify(fields)}`
    })
    .join('\n')
}

export interface ResultContext {
  /** Flags to repeat in a follow-up command (`--tenant acme --database …`), with a leading space. */
  flags: string
  /** Who ran it: an approval needs someone else. */
  user: string
  debug?: boolean
  /** In `skillos dev`, where the next line typed answers a run that asked. */
  interactive?: boolean
  /** The database keeps nothing after this process (memory://): no later command can continue the run. */
  ephemeral?: boolean
}

function label(name: string, value: string): string {
  const [first = '', ...rest] = value.split('\n')
  return [`${name.padEnd(10)} ${first}`, ...rest.map((line) => `${' '.repeat(11)}${line}`)].join(
    '\n',
  )
}

function modeOf(result: RunResult): string | undefined {
  const planned = result.trace.filter((e) => e.type === 'run.planned').at(-1)
  return planned?.type === 'run.planned' ? planned.mode : undefined
}

function stepTimes(result: RunResult): string[] {
  return result.trace.flatMap((e) =>
    e.type === 'step.completed' ? [`${e.step} ${e.skill} ${e.ms.toFixed(0)} ms`] : [],
  )
}

/** A skill's own one-line answer, when its output has one (`summary` or `text`). */
function sentenceOf(output: unknown): string | undefined {
  if (!output || typeof output !== 'object' || Array.isArray(output)) return undefined
  const { summary, text } = output as Record<string, unknown>
  if (typeof summary === 'string' && summary.trim()) return summary.trim()
  if (typeof text === 'string' && text.trim()) return text.trim()
  return undefined
}

/** What a person asked for, in the skills' own words: one line per ask of a multi-step run. */
function answerOf(result: RunResult): string | undefined {
  const own = sentenceOf(result.output)
  if (own) return own
  const planned = result.trace.findLast((e) => e.type === 'run.planned')
  if (planned?.type !== 'run.planned' || planned.steps.length < 2) return undefined
  const outputs = result.output as Record<string, unknown> | undefined
  if (!outputs || typeof outputs !== 'object') return undefined
  const lines = planned.steps.flatMap((step) => {
    const sentence = sentenceOf(outputs[step.skill])
    return sentence ? [`${step.skill}: ${sentence}`] : []
  })
  return lines.length > 0 ? lines.join('\n') : undefined
}

function quote(text: string): string {
  return /^[\w@%+=:,./^~-]+$/.test(text) ? text : `"${text.replaceAll(/(["\\$`])/g, '\\$1')}"`
}

/** A run result as a person reads it: status, skill, mode, output, cost, tokens, timings, what next. */
export function formatRunResult(result: RunResult, context: ResultContext): string {
  const lines: string[] = []
  const dryRun = result.trace.some((e) => e.type === 'run.started' && e.dryRun)
  lines.push(label('status', `${result.status}${dryRun ? ' (dry run: nothing was executed)' : ''}`))
  lines.push(label('skill', result.skill ? `${result.skill.id}@${result.skill.version}` : '—'))
  const mode = modeOf(result)
  if (mode) lines.push(label('mode', mode))
  const answer = answerOf(result)
  if (answer) lines.push(label('answer', answer))
  if (result.output !== undefined) {
    lines.push(label('output', JSON.stringify(result.output, null, 2) ?? String(result.output)))
  }
  if (result.error) lines.push(label('error', `${result.error.code}: ${result.error.message}`))
  if (result.candidates?.length && result.status !== 'succeeded') {
    lines.push(
      label(
        'near',
        result.candidates
          .map((c) => `${c.id} ${c.confidence === undefined ? '' : round(c.confidence)}`.trim())
          .join(', '),
      ),
    )
  }
  for (const [i, m] of (result.missing ?? []).entries()) {
    lines.push(label(i === 0 ? 'missing' : '', `${m.field}: ${m.question}`))
  }
  const { tokens, costUsd, ms } = result.usage
  lines.push(
    label('cost', `$${costUsd.toFixed(4)} · tokens ${tokens.input} in, ${tokens.output} out`),
  )
  lines.push(label('time', [`${ms.toFixed(0)} ms`, ...stepTimes(result)].join(' · ')))
  lines.push(label('run', result.runId))
  if (result.approval) {
    lines.push(label('approval', `${result.approval.id} (expires ${result.approval.expiresAt})`))
  }
  const next = nextSteps(result, context)
  if (next.length > 0) lines.push(label('next', next.join('\n')))
  if (context.debug) lines.push('', 'trace', formatTrace(result.trace))
  return lines.join('\n')
}

const EPHEMERAL =
  'runs in memory:// end with this command: run it again with a database that keeps them (--database pglite://./.skillos/db) to answer or approve it later'

function nextSteps(
  result: RunResult,
  { flags, user, interactive, ephemeral }: ResultContext,
): string[] {
  const waiting = result.status === 'needs_input' || result.status === 'awaiting_approval'
  if (waiting && ephemeral && !interactive) return [EPHEMERAL]
  if (result.status === 'needs_input') {
    return [
      interactive
        ? 'type the answer on the next line ("-" drops the question)'
        : `skillos answer ${result.runId} "<your answer>"${flags}`,
    ]
  }
  if (result.status === 'awaiting_approval' && result.approval) {
    const who = `--user <approver> --roles approver`
    return [
      `skillos approve ${result.approval.id} ${who}${flags}`,
      `skillos reject ${result.approval.id} ${who}${flags}`,
      `(four eyes: the approver must be someone other than ${quote(user)})`,
    ]
  }
  const hint = result.error ? NEXT_STEP[result.error.code] : undefined
  return hint ? [hint] : []
}
