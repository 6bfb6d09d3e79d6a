import { AsyncLocalStorage } from 'node:async_hooks'
import { SkillOSError, type ErrorCode } from '@skillos/contracts'
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  SamplingBreaker,
  type CircuitBreakerPolicy,
  type IBreaker,
} from 'cockatiel'

/** When a tool's circuit opens, and how long it stays open before a probe call is let through. */
export interface CircuitBreakerOptions {
  /** Open after this many failed calls in a row (default 5). Ignored when `ratio` is given. */
  failureThreshold?: number
  /** Open when this share (0–1) of the calls in the last `windowMs` failed, at `minimumRps` or more. */
  ratio?: { threshold: number; windowMs: number; minimumRps?: number }
  /** Let one probe call through this long after opening (default 30 000). */
  halfOpenAfterMs?: number
}

export type CircuitStateName = 'closed' | 'open' | 'half-open'

/** Whoever should hear about a transition: the run whose call caused it. */
export type CircuitObserver = (tool: string, state: CircuitStateName) => void

/**
 * Failures that say nothing about the tool's health: the caller's input, permissions, budget, or a
 * cancelled run. They neither open a circuit nor count towards opening it.
 */
const NOT_THE_TOOLS_FAULT: ReadonlySet<ErrorCode> = new Set([
  'CANCELLED',
  'VALIDATION_FAILED',
  'POLICY_DENIED',
  'PERMISSION_DENIED',
  'BUDGET_EXCEEDED',
  'NEEDS_INPUT',
])

function countsAgainstCircuit(error: Error): boolean {
  return !(SkillOSError.is(error) && NOT_THE_TOOLS_FAULT.has(error.code))
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.HalfOpen) return 'half-open'
  if (state === CircuitState.Closed) return 'closed'
  return 'open'
}

/** One circuit breaker per tool name, shared by every run of the runtime that owns it. */
export interface ToolCircuits {
  /** The breaker of `tool`, made on first use. */
  breakerFor(tool: string): CircuitBreakerPolicy
  state(tool: string): CircuitStateName
  /** Run `call` so that transitions it causes are reported to `observer` (and only to it). */
  observe<T>(observer: CircuitObserver, call: () => Promise<T>): Promise<T>
  readonly halfOpenAfterMs: number
}

export function createToolCircuits(options: CircuitBreakerOptions = {}): ToolCircuits {
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 30_000
  const breakers = new Map<string, CircuitBreakerPolicy>()
  // Transitions fire synchronously inside the call that causes them, so the async context of that
  // call tells which run observed it, even while runs share the breaker.
  const observers = new AsyncLocalStorage<CircuitObserver>()

  function newBreaker(): IBreaker {
    const { ratio } = options
    if (ratio) {
      return new SamplingBreaker({
        threshold: ratio.threshold,
        duration: ratio.windowMs,
        ...(ratio.minimumRps === undefined ? {} : { minimumRps: ratio.minimumRps }),
      })
    }
    return new ConsecutiveBreaker(options.failureThreshold ?? 5)
  }

  return {
    halfOpenAfterMs,
    breakerFor(tool) {
      let breaker = breakers.get(tool)
      if (!breaker) {
        breaker = circuitBreaker(handleWhen(countsAgainstCircuit), {
          breaker: newBreaker(),
          halfOpenAfter: halfOpenAfterMs,
        })
        breaker.onStateChange((state) => observers.getStore()?.(tool, stateName(state)))
        breakers.set(tool, breaker)
      }
      return breaker
    },
    state(tool) {
      const breaker = breakers.get(tool)
      return breaker ? stateName(breaker.state) : 'closed'
    },
    observe(observer, call) {
      return observers.run(observer, call)
    },
  }
}
