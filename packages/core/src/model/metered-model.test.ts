import type { Budget } from '@skillos/budget'
import { SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestBudget } from '../budget.test-data.js'
import { createMeteredModel, type ModelUsage } from './metered-model.js'
import type { ModelProvider, ModelRequest } from './model-provider.js'

let budget: Budget
let closeBudget: () => Promise<void>

beforeAll(async () => {
  ;({ budget, close: closeBudget } = await openTestBudget({
    limits: [{ id: 'run-tokens', scope: 'run', window: 'run', tokens: 5_000 }],
    degradations: [
      { limit: 'run-tokens', atShare: 0.8, action: 'cap-max-tokens', maxOutputTokens: 64 },
    ],
  }))
})

afterAll(async () => {
  await closeBudget()
})

/** A provider that answers with fixed usage (or fails), recording each request. */
function fakeProvider(
  model: string,
  outcome: { inputTokens: number; outputTokens: number } | Error,
) {
  const requests: ModelRequest[] = []
  const provider: ModelProvider = {
    name: 'openai',
    model,
    async generate(request) {
      requests.push(request)
      if (outcome instanceof Error) throw outcome
      return { text: 'Lima.', usage: outcome, model }
    },
  }
  return { provider, requests }
}

function meter(
  provider: ModelProvider | undefined,
  runId: string,
  signal = new AbortController().signal,
) {
  const usages: ModelUsage[] = []
  const model = createMeteredModel(provider, {
    budget,
    tenant: 'acme',
    user: 'ann',
    skill: 'research/digest',
    runId,
    signal,
    onUsage: (usage) => usages.push(usage),
  })
  return { model, usages }
}

async function reservedTokens(runId: string): Promise<number> {
  const [report] = await budget.report({ tenant: 'acme', user: 'ann', runId })
  return report?.reserved ?? -1
}

describe('metered model', () => {
  it('charges the tokens a call used, priced by model, to the run budget', async () => {
    const { provider, requests } = fakeProvider('gpt-4o-mini', {
      inputTokens: 1_000,
      outputTokens: 500,
    })
    const { model, usages } = meter(provider, 'run-priced')
    const answer = await model.generate({ prompt: 'Capital of Peru?', maxTokens: 600 })
    expect(answer).toMatchObject({
      text: 'Lima.',
      usage: { inputTokens: 1_000, outputTokens: 500 },
    })
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M tokens.
    expect(usages).toEqual([{ inputTokens: 1_000, outputTokens: 500, costUsd: 0.00045 }])
    expect(requests[0]?.maxTokens).toBe(600)

    await budget.flush()
    const [row] = await budget.spend({
      tenant: 'acme',
      runId: 'run-priced',
      groupBy: ['model', 'kind'],
    })
    expect(row).toMatchObject({
      model: 'gpt-4o-mini',
      kind: 'model',
      inputTokens: 1_000,
      outputTokens: 500,
      costUsd: 0.00045,
    })
    expect(await reservedTokens('run-priced')).toBe(0)
  })

  it('counts the tokens of a model without a price, at no cost', async () => {
    const { provider } = fakeProvider('llama3.1', { inputTokens: 40, outputTokens: 10 })
    const { model, usages } = meter(provider, 'run-local')
    await model.generate({ prompt: 'hi', maxTokens: 100 })
    expect(usages).toEqual([{ inputTokens: 40, outputTokens: 10, costUsd: 0 }])
    const [report] = await budget.report({ tenant: 'acme', user: 'ann', runId: 'run-local' })
    expect(report).toMatchObject({ limitId: 'run-tokens', spent: 50, reserved: 0 })
  })

  it('refuses a call whose most expensive outcome would cross a hard limit, before calling', async () => {
    const { provider, requests } = fakeProvider('gpt-4o-mini', { inputTokens: 1, outputTokens: 1 })
    const { model } = meter(provider, 'run-refused')
    let caught: unknown
    await model
      .generate({ prompt: 'write a novel', maxTokens: 6_000 })
      .catch((e: unknown) => (caught = e))
    expect(SkillOSError.is(caught, 'BUDGET_EXCEEDED')).toBe(true)
    expect(requests).toEqual([])
  })

  it('caps maxTokens when the budget degrades the call', async () => {
    const { provider, requests } = fakeProvider('gpt-4o-mini', { inputTokens: 5, outputTokens: 60 })
    const { model } = meter(provider, 'run-degraded')
    await model.generate({ prompt: 'hi', maxTokens: 4_500 })
    expect(requests[0]?.maxTokens).toBe(64)
  })

  it('frees the hold when the call fails', async () => {
    const upstream = new SkillOSError({ code: 'UPSTREAM_FAILED', message: 'provider down' })
    const { provider } = fakeProvider('gpt-4o-mini', upstream)
    const { model, usages } = meter(provider, 'run-failed')
    await expect(model.generate({ prompt: 'hi', maxTokens: 100 })).rejects.toBe(upstream)
    expect(usages).toEqual([])
    expect(await reservedTokens('run-failed')).toBe(0)
  })

  it('passes the run signal to the provider', async () => {
    const { provider, requests } = fakeProvider('gpt-4o-mini', { inputTokens: 1, outputTokens: 1 })
    const run = new AbortController()
    const { model } = meter(provider, 'run-signal', run.signal)
    await model.generate({ prompt: 'hi' })
    expect(requests[0]?.signal?.aborted).toBe(false)
    run.abort()
    expect(requests[0]?.signal?.aborted).toBe(true)
  })

  it('rejects with MODEL_NOT_CONFIGURED, saying how to configure one, without a provider', async () => {
    const { model } = meter(undefined, 'run-none')
    let caught: unknown
    await model.generate({ prompt: 'hi' }).catch((e: unknown) => (caught = e))
    expect(SkillOSError.is(caught, 'MODEL_NOT_CONFIGURED')).toBe(true)
    expect((caught as SkillOSError).message).toContain(
      'Set SKILLOS_MODEL_PROVIDER (openai or anthropic)',
    )
  })
})
