import type { ColdChainData } from './cold-chain.js'

/** Boxes and weights of a shipment. */
export interface Packing {
  pieces: number
  piecesPerBox: number
  boxes: number
  /** Pieces in the last box when it is not full. */
  lastBoxPieces?: number
  gramsPerPiece: number
  netWeightKg: number
  grossWeightKg: number
  /** Dimensional weight of the boxes for air freight (L×W×H / divisor). */
  volumetricWeightKg: number
}

/**
 * Packs `pieces` oysters of a grade into insulated boxes: box count (the last one may be partly
 * filled), net weight from the grade's average weight, gross weight with the box, lid and gel packs,
 * and the dimensional weight airlines charge when it exceeds the gross weight. Weights to 0.1 kg.
 *
 * @example
 * ```ts
 * packShipment(2000, 3, data.packing) // { boxes: 21, piecesPerBox: 96, lastBoxPieces: 80, netWeightKg: 150, grossWeightKg: 175.2, … }
 * ```
 */
export function packShipment(
  pieces: number,
  grade: number,
  packing: ColdChainData['packing'],
): Packing {
  const perBox = packing.piecesPerBox[String(grade)]
  const grams = packing.gramsPerPiece[String(grade)]
  if (perBox === undefined || grams === undefined)
    throw new RangeError(`no packing data for N°${grade}`)
  const boxes = Math.ceil(pieces / perBox)
  const rest = pieces % perBox
  // Grams and tenths of a kilogram as integers: no float drift in the totals.
  const netGrams = pieces * grams
  const grossGrams = netGrams + boxes * Math.round(packing.boxTareKg * 1000)
  const [l, w, h] = packing.boxDimensionsCm
  const volumetricGrams = Math.round(((l * w * h) / packing.volumetricDivisor) * 1000) * boxes
  const tenths = (g: number) => Math.round(g / 100) / 10
  return {
    pieces,
    piecesPerBox: perBox,
    boxes,
    ...(rest > 0 ? { lastBoxPieces: rest } : {}),
    gramsPerPiece: grams,
    netWeightKg: tenths(netGrams),
    grossWeightKg: tenths(grossGrams),
    volumetricWeightKg: tenths(volumetricGrams),
  }
}
