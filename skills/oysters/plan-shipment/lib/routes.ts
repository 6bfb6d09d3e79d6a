import { foldText } from '@skillos-skills/oysters-parse-price-list/text-fold'
import { SkillOSError } from '@skillos/contracts'
import type { ColdChainData, Leg } from './cold-chain.js'

type Place = ColdChainData['places'][number]

/** The known place a name stands for (`Аркашон`, `arcachon`, `Moscow SVO`), if any. */
export function placeOf(name: string, data: ColdChainData): Place | undefined {
  const folded = foldText(name)
  return data.places.find((p) =>
    p.aliases.some((a) => new RegExp(`(?<![\\p{L}])${foldText(a)}`, 'u').test(folded)),
  )
}

/** Every known place named in `text`, in the order written. */
export function placesIn(text: string, data: ColdChainData): { place: Place; index: number }[] {
  const folded = foldText(text)
  const found: { place: Place; index: number }[] = []
  for (const place of data.places) {
    const indexes = place.aliases
      .map((a) => new RegExp(`(?<![\\p{L}])${foldText(a)}`, 'u').exec(folded)?.index)
      .filter((i): i is number => i !== undefined)
    if (indexes.length > 0) found.push({ place, index: Math.min(...indexes) })
  }
  return found.sort((a, b) => a.index - b.index)
}

/**
 * The typical legs from `origin` to `destination` in the data. Unknown places or a pair without a
 * route are `VALIDATION_FAILED`, naming the routes that are known.
 *
 * @example
 * ```ts
 * typicalRoute('Аркашон', 'Москва', data).legs.length // 7
 * ```
 */
export function typicalRoute(
  origin: string,
  destination: string,
  data: ColdChainData,
): { name: string; legs: Leg[] } {
  const known = data.routes.map((r) => `${nameOf(r.from, data)} → ${nameOf(r.to, data)}`).join(', ')
  const from = placeOf(origin, data)
  const to = placeOf(destination, data)
  const route = data.routes.find((r) => r.from === from?.id && r.to === to?.id)
  if (!from || !to || !route)
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `legs: no typical route from ${origin} to ${destination}; pass the legs (known routes: ${known})`,
    })
  return { name: `${from.name} → ${to.name}`, legs: route.legs }
}

function nameOf(id: string, data: ColdChainData): string {
  return data.places.find((p) => p.id === id)?.name ?? id
}
