/**
 * The attribute vocabulary conditions may use. Built-in attributes have a type the compiler checks
 * operators and literals against; custom attributes (declared under `attributes:` in a policy file)
 * are untyped and compared at decision time.
 */
export type AttributeRoot = 'principal' | 'resource' | 'context'

export type AttributeType =
  | 'text'
  | 'text-list'
  | 'risk'
  | 'side-effects'
  | 'time'
  | 'ip'
  /** A custom attribute: any value; operators check the value at decision time. */
  | 'any'

export const builtInAttributes: Readonly<
  Record<AttributeRoot, Readonly<Record<string, AttributeType>>>
> = {
  principal: { id: 'text', tenant: 'text', roles: 'text-list' },
  resource: {
    id: 'text',
    kind: 'text',
    tenant: 'text',
    domain: 'text',
    name: 'text',
    risk: 'risk',
    sideEffects: 'side-effects',
    tags: 'text-list',
  },
  context: { time: 'time', ip: 'ip', channel: 'text' },
}

export const attributeRoots: readonly AttributeRoot[] = ['principal', 'resource', 'context']

/** Custom attribute names declared by the policy files, per root. */
export type AttributeVocabulary = Readonly<Record<AttributeRoot, ReadonlySet<string>>>

/** The type of `root.name`, or undefined when the vocabulary does not know it. */
export function attributeType(
  vocabulary: AttributeVocabulary,
  root: AttributeRoot,
  name: string,
): AttributeType | undefined {
  const builtIn = builtInAttributes[root][name]
  if (builtIn !== undefined) return builtIn
  return vocabulary[root].has(name) ? 'any' : undefined
}

/** Every attribute `root.*` the vocabulary knows, built-in first. */
export function knownAttributes(vocabulary: AttributeVocabulary, root: AttributeRoot): string[] {
  return [...Object.keys(builtInAttributes[root]), ...[...vocabulary[root]].sort()].map(
    (name) => `${root}.${name}`,
  )
}

/** The closest known name within two edits, for "did you mean" hints. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!
    previous[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
      diagonal = above
    }
  }
  return previous[b.length]!
}
