import { describe, expect, it } from 'vitest'
import { initialState, stateOf, storedState, type RunState } from './state.js'

const request = {
  input: 'convert 250 EUR to RUB',
  tenant: 'acme',
  principal: { id: 'u1', roles: ['analyst'], attributes: {} },
  dryRun: false,
  context: {},
} as Parameters<typeof initialState>[0]

function planned(): RunState {
  const state = initialState(request)
  state.analysis = { complexity: 0.2, risk: 0.1, factors: ['one ask'] }
  state.steps.push({
    id: 's1',
    text: request.input,
    skill: { id: 'finance/convert', version: '1.0.0' },
    dependsOn: [],
    status: 'needs_input',
    missing: [{ field: 'to', question: 'Convert to which currency?' }],
    usage: { costUsd: 0, inputTokens: 0, outputTokens: 0, ms: 0 },
  })
  return state
}

describe('stored run state', () => {
  it('stores the state without the request, which the run keeps in its input', () => {
    const state = planned()
    const stored = storedState(state)
    expect(stored).toEqual({ v: 1, mode: 'single', analysis: state.analysis, steps: state.steps })
    expect(stored).not.toHaveProperty('request')
  })

  it('continues a stored run with the request from its input', () => {
    const state = planned()
    const restored = stateOf({
      state: JSON.parse(JSON.stringify(storedState(state))),
      input: state.request,
    })
    expect(restored).toEqual(JSON.parse(JSON.stringify(state)))
  })

  it('continues a run stored by an earlier version, whose state holds its request', () => {
    const state = planned()
    expect(stateOf({ state: JSON.parse(JSON.stringify(state)), input: null })).toEqual(
      JSON.parse(JSON.stringify(state)),
    )
  })

  it('has nothing to continue without a state of version 1 or without a request', () => {
    const state = planned()
    expect(stateOf({ state: null, input: state.request })).toBeUndefined()
    expect(
      stateOf({ state: { ...storedState(state), v: 2 }, input: state.request }),
    ).toBeUndefined()
    expect(stateOf({ state: storedState(state), input: null })).toBeUndefined()
  })
})
