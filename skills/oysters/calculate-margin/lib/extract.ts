/** An amount with its currency found in the request (the shape of the generic money matches). */
export interface MoneyMention {
  value: { amount: number; currency: string }
  span: [number, number]
}

type Role = 'purchase' | 'sale' | 'freight'

// Words that say what an amount is; the nearest one before the amount, in its clause, decides.
const CUES: [Role, RegExp][] = [
  [
    'purchase',
    /(?<![\p{L}])(?:(?:purchase|buying|cost)\s+price|закупочн\p{L}*\s+цен\p{L}*|цен\p{L}*\s+закуп\p{L}*|buy\p{L}*|bought|purchas\p{L}*|cost(?:s)?\s+me|pay|закуп\p{L}*|покуп\p{L}*|куп\p{L}*|беру|брать|взял\p{L}*|входн\p{L}*|закупочн\p{L}*)/giu,
  ],
  [
    'freight',
    /(?<![\p{L}])(?:freight|shipping|delivery|transport\p{L}*|logistics|доставк\p{L}*|перевоз\p{L}*|логистик\p{L}*|фрахт\p{L}*)/giu,
  ],
  [
    'sale',
    /(?<![\p{L}])(?:sell\p{L}*|sold|sale\p{L}*|retail|price|margin|маржа|маржу|марж\p{L}*|цен\p{L}*|прода\p{L}*|розниц\p{L}*)/giu,
  ],
]

// "по 2,90 евро закупки": a purchase word right after the amount.
const PURCHASE_AFTER =
  /^\s*(?:за\s+штуку\s+)?(?:в\s+)?(?:закуп\p{L}*|покупк\p{L}*|purchase|buying)/iu

function roleOf(text: string, start: number, end: number): Role | undefined {
  if (PURCHASE_AFTER.test(text.slice(end, end + 30))) return 'purchase'
  let before = text.slice(Math.max(0, start - 60), start)
  // The clause the amount is in: after the last comma, semicolon or sentence end.
  const cut = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('. '))
  if (cut >= 0) before = before.slice(cut + 1)
  // The cue ending nearest the amount wins; on a tie the longer one ("purchase price" over "price").
  let best: { role: Role; end: number; length: number } | undefined
  for (const [role, re] of CUES) {
    for (const m of before.matchAll(re)) {
      const end = m.index + m[0].length
      if (!best || end > best.end || (end === best.end && m[0].length > best.length))
        best = { role, end, length: m[0].length }
    }
  }
  return best?.role
}

const QUANTITY =
  /(?<![\p{L}\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)\s*(?:oysters?|устриц\p{L}*|pieces|pcs|шт\.?|штук\p{L}*)/iu
const RATE =
  /(?<![\p{L}])(?:exchange\s+rate|rate|курс\p{L}*)\s*(?:of|по|=|:|is)?\s*(\d+(?:[.,]\d+)?)(?![\d%])/iu
const DUTY = /(?<![\p{L}])(?:duty|пошлин\p{L}*)\s*(?:of|is|=|:)?\s*(\d+(?:[.,]\d+)?)\s*%/iu

/**
 * Tells the amounts of a margin request apart — what is paid to the supplier ("buy at 1.20 euro",
 * "закупка 1,20 €"), what it sells for ("at 450 rubles a piece", "при цене 450 ₽"), the freight
 * ("freight 0.40 EUR a piece", "доставка 30 ₽ за штуку") — with their currencies, the number of
 * oysters, an exchange rate and a duty written in words the generic extractors do not know.
 *
 * @example
 * ```ts
 * extractMarginRequest('margin at 450 rubles a piece if I buy at 1.20 euro', money)
 * // { salePrice: 450, saleCurrency: 'RUB', purchasePrice: 1.2, purchaseCurrency: 'EUR' }
 * ```
 */
export function extractMarginRequest(
  text: string,
  money: readonly MoneyMention[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const taken = new Set<Role>()
  for (const mention of money) {
    const role = roleOf(text, mention.span[0], mention.span[1])
    if (!role || taken.has(role)) continue
    taken.add(role)
    const { amount, currency } = mention.value
    if (role === 'purchase')
      Object.assign(out, { purchasePrice: amount, purchaseCurrency: currency })
    else if (role === 'sale') Object.assign(out, { salePrice: amount, saleCurrency: currency })
    else Object.assign(out, { freightPerPiece: amount, freightCurrency: currency })
  }
  const quantity = QUANTITY.exec(text)?.[1]
  if (quantity) out.quantity = Number(quantity.replace(/\s/g, ''))
  const rate = RATE.exec(text)?.[1]
  if (rate) out.exchangeRate = Number(rate.replace(',', '.'))
  const duty = DUTY.exec(text)?.[1]
  if (duty) out.dutyPercent = Number(duty.replace(',', '.'))
  return out
}
