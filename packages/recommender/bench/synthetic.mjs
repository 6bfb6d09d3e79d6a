// Shared by the routing benches: synthetic skills and percentiles.

/** Random bags from a mixed English/Russian vocabulary: a name, a description, a tag and 3 examples. */
const WORDS = (
  'search find book flight hotel route trip price supplier oyster tender bid contract margin cost ' +
  'currency rate convert budget expense report summary document article news web invoice order ' +
  'shipment delivery customer product catalog inventory warehouse payment bank tax vat duty freight ' +
  'email calendar meeting schedule task project employee salary weather map city country ' +
  'поиск найти билет гостиница маршрут цена поставщик устрица закупка тендер заявка контракт маржа ' +
  'курс валюта бюджет расход отчет документ статья новости счет заказ доставка клиент товар склад ' +
  'платеж банк налог пошлина письмо встреча задача проект сотрудник зарплата погода город страна'
).split(' ')

export function synthetic(count, seed = 42) {
  let state = seed
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const pick = (n) =>
    Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ')
  return Array.from({ length: count }, (_, i) => ({
    id: `synthetic/skill-${i}`,
    name: `${pick(2)} ${i}`,
    description: pick(14),
    tags: [WORDS[Math.floor(rand() * 40)]],
    examples: [pick(6), pick(6), pick(6)],
  }))
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Where MetaTool lives: `SKILLOS_BENCH_METATOOL_DIR`, or ../shared/eval/metatool beside the repo. */
export const METATOOL = process.env.SKILLOS_BENCH_METATOOL_DIR
  ? new URL(`file://${process.env.SKILLOS_BENCH_METATOOL_DIR.replace(/\/?$/, '/')}`)
  : new URL('../../../../shared/eval/metatool/', import.meta.url)
