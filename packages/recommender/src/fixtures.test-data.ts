import type { SkillDocumentInput } from './skill-document.js'

/** A small catalogue for tests: three domains, examples in English and Russian. */
export const FIXTURE_SKILLS: SkillDocumentInput[] = [
  {
    id: 'finance/convert-currency',
    name: 'Convert currency',
    description: 'Convert an amount of money from one currency to another through official rates.',
    tags: ['finance', 'currency'],
    examples: [
      'convert 250 euros to rubles',
      'конвертируй 250 евро в рубли',
      'сколько будет 5000 рублей в долларах',
    ],
  },
  {
    id: 'finance/exchange-rates',
    name: 'Official exchange rates',
    description:
      'Official currency exchange rates of the Bank of Russia and the ECB, with the rate date.',
    tags: ['finance', 'rates'],
    examples: ['what is the euro exchange rate today', 'какой курс доллара на сегодня'],
  },
  {
    id: 'travel/search-flights',
    name: 'Search flights',
    description: 'Search flights by origin, destination, dates, passengers, price and stops.',
    tags: ['travel', 'flights'],
    examples: [
      'cheapest flight Paris to Lisbon next Friday',
      'найди дешевый авиабилет из Москвы в Сочи',
    ],
  },
  {
    id: 'travel/search-hotels',
    name: 'Search hotels',
    description: 'Search hotels by city, dates, guests, price per night and rating.',
    tags: ['travel', 'hotels'],
    examples: [
      'find a hotel in Lisbon for three nights',
      'найди гостиницу в Санкт-Петербурге на выходные',
    ],
  },
  {
    id: 'oysters/compare-suppliers',
    name: 'Compare oyster suppliers',
    description:
      'Total price of an oyster order from each supplier, ranked, with minimum order and pack sizes.',
    tags: ['oysters', 'suppliers'],
    examples: [
      'which supplier is cheapest for 300 Gillardeau No.2',
      'у какого поставщика дешевле взять 200 устриц',
    ],
    tenant: 'acme',
  },
]
