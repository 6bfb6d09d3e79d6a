import type { SkillDocumentInput } from './skill-document.js'

/** Mixed English/Russian words the synthetic skills are drawn from (the bench uses the same kind). */
const WORDS = (
  'search find book flight hotel route trip price supplier oyster tender bid contract margin cost ' +
  'currency rate convert budget expense report summary document article news web invoice order ' +
  'shipment delivery customer product catalog inventory warehouse payment bank tax vat duty freight ' +
  'email calendar meeting schedule task project employee salary weather map city country ' +
  'поиск найти билет гостиница маршрут цена поставщик устрица закупка тендер заявка контракт маржа ' +
  'курс валюта бюджет расход отчет документ статья новости счет заказ доставка клиент товар склад ' +
  'платеж банк налог пошлина письмо встреча задача проект сотрудник зарплата погода город страна'
).split(' ')

/** The tags synthetic skills carry. */
export const SYNTHETIC_TAGS = Array.from({ length: 12 }, (_, i) => `tag-${i}`)
/** The tenants synthetic skills belong to (a third of the skills have none: shared). */
export const SYNTHETIC_TENANTS = Array.from({ length: 6 }, (_, i) => `tenant-${i}`)

/** A deterministic random stream in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/**
 * `count` deterministic skills: random word bags as name, description and 2 examples; one to three
 * of {@link SYNTHETIC_TAGS}; a third shared, the rest private to one of {@link SYNTHETIC_TENANTS}.
 */
export function syntheticSkills(count: number, seed = 42): SkillDocumentInput[] {
  const rand = seededRandom(seed)
  const pick = (n: number) =>
    Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ')
  return Array.from({ length: count }, (_, i) => {
    const tags = new Set<string>()
    const tagCount = 1 + Math.floor(rand() * 3)
    while (tags.size < tagCount)
      tags.add(SYNTHETIC_TAGS[Math.floor(rand() * SYNTHETIC_TAGS.length)]!)
    const tenant =
      rand() < 1 / 3 ? undefined : SYNTHETIC_TENANTS[Math.floor(rand() * SYNTHETIC_TENANTS.length)]
    return {
      id: `synthetic/skill-${i}`,
      name: `${pick(2)} ${i}`,
      description: pick(12),
      tags: [...tags],
      examples: [pick(5), pick(5)],
      ...(tenant === undefined ? {} : { tenant }),
    }
  })
}

/** Requests in the synthetic skills' vocabulary. */
export function syntheticQueries(count: number, seed = 7): string[] {
  const rand = seededRandom(seed)
  return Array.from({ length: count }, () =>
    Array.from(
      { length: 3 + Math.floor(rand() * 4) },
      () => WORDS[Math.floor(rand() * WORDS.length)],
    ).join(' '),
  )
}
