import type { JsonSchemaSubset, SkillManifest } from '@skillos/contracts'

type BindingManifest = Pick<SkillManifest, 'input' | 'bindings'>

/**
 * The value at a dotted path (`ranking.0.perPiece`) in an output, or `undefined`. A number segment
 * indexes an array; anything else reads an own property of a plain object.
 */
export function readPath(value: unknown, path: string): unknown {
  let current = value
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined
      current = current[Number(segment)]
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, segment)) return undefined
      current = (current as Record<string, unknown>)[segment]
    } else return undefined
  }
  return current
}

/** The paths a pipeline tries for an input field: its bindings, else the field's own name. */
function pathsFor(manifest: BindingManifest, field: string): readonly string[] {
  return manifest.bindings[field] ?? [field]
}

/**
 * Values for a step's declared inputs from the outputs of the steps before it, nearest first: per
 * field, the first of its binding paths that resolves in the nearest output that has one. Fields the
 * skill does not declare are never passed on (extract and distill).
 *
 * @example
 * ```ts
 * upstreamValues(marginManifest, [compareOutput])
 * // { purchasePrice: 3.52, purchaseCurrency: 'EUR', quantity: 300 }
 * ```
 */
export function upstreamValues(
  manifest: BindingManifest,
  outputs: readonly unknown[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of Object.keys(manifest.input.properties ?? {})) {
    for (const output of outputs) {
      const found = pathsFor(manifest, field)
        .map((path) => readPath(output, path))
        .find((value) => value !== undefined && value !== null)
      if (found !== undefined) {
        values[field] = found
        break
      }
    }
  }
  return values
}

/**
 * Whether an output schema can provide a field through one of its paths: the path's first segment is
 * a declared output property (what a step will return is known from its manifest before it runs).
 */
export function canProvide(
  consumer: BindingManifest,
  field: string,
  producerOutput: JsonSchemaSubset | undefined,
): boolean {
  const declared = producerOutput?.properties
  if (!declared) return false
  return pathsFor(consumer, field).some((path) => Object.hasOwn(declared, path.split('.')[0] ?? ''))
}

/** One planned ask: its skill's manifest and the required inputs its own text left open. */
export interface PlannedAsk {
  manifest: BindingManifest & Pick<SkillManifest, 'id' | 'output'>
  missing: readonly string[]
}

/** Why a step waits for another: `needs` are the fields it takes from `from`'s output. */
export interface DataDependency {
  step: number
  from: number
  needs: string[]
}

/**
 * Data flow between asks that the text joined with "and": an ask whose required input is missing
 * from its own words, and that an earlier ask's declared output provides, runs after that ask and
 * takes the value from it ("which supplier is cheapest for 300 Gillardeau, and what is my margin
 * at 450 ₽" → the margin needs the purchase price the comparison finds). Each missing field comes
 * from the nearest earlier ask that provides it.
 */
export function dataDependencies(asks: readonly PlannedAsk[]): DataDependency[] {
  const found: DataDependency[] = []
  asks.forEach((ask, step) => {
    const bySource = new Map<number, string[]>()
    for (const field of ask.missing) {
      for (let from = step - 1; from >= 0; from--) {
        if (!canProvide(ask.manifest, field, asks[from]?.manifest.output)) continue
        bySource.set(from, [...(bySource.get(from) ?? []), field])
        break
      }
    }
    for (const [from, needs] of bySource) found.push({ step, from, needs })
  })
  return found
}
