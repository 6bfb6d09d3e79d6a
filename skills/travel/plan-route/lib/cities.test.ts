import { describe, expect, it } from 'vitest'
import {
  createCityIndex,
  editDistance,
  loadGazetteer,
  normalizeName,
  russianStem,
} from './cities.js'

const gazetteer = loadGazetteer()
const index = createCityIndex(gazetteer.cities)

describe('gazetteer', () => {
  it('ships about 200 cities with real coordinates and unique names', () => {
    expect(gazetteer.cities.length).toBeGreaterThanOrEqual(200)
    expect(new Set(gazetteer.cities.map((c) => c.name)).size).toBe(gazetteer.cities.length)
    for (const c of gazetteer.cities) {
      expect(Math.abs(c.lat)).toBeLessThanOrEqual(90)
      expect(Math.abs(c.lon)).toBeLessThanOrEqual(180)
      expect(c.nameRu).toMatch(/[А-Яа-яЁё]/)
    }
    expect(gazetteer.asOf).toBe('2025-10-01')
  })
})

describe('createCityIndex.find', () => {
  it.each([
    ['Moscow', 'Moscow'],
    ['moscow', 'Moscow'],
    ['Москва', 'Moscow'],
    ['Москвы', 'Moscow'],
    ['St. Petersburg', 'Saint Petersburg'],
    ['St Petersburg', 'Saint Petersburg'],
    ['Санкт-Петербурге', 'Saint Petersburg'],
    ['Питер', 'Saint Petersburg'],
    ['LED', 'Saint Petersburg'],
    ['Казани', 'Kazan'],
    ['Нижнем Новгороде', 'Nizhny Novgorod'],
    ['Ростове-на-Дону', 'Rostov-on-Don'],
    ['Сочи', 'Sochi'],
    ['Adler', 'Sochi'],
    ['Zürich', 'Zurich'],
    ['Köln', 'Cologne'],
    ['Кёльне', 'Cologne'],
    ['AER', 'Sochi'],
  ])('%s → %s', (query, name) => {
    expect(index.find(query)?.name).toBe(name)
  })

  it.each(['Atlantis', '', 'aer', 'XYZ', 'Мордор'])('does not know %j', (query) => {
    expect(index.find(query)).toBeUndefined()
  })

  it('suggests names within a few typos, closest first', () => {
    expect(index.suggest('Kazn')).toEqual(['Kazan'])
    expect(index.suggest('Казнь')).toEqual(['Казань'])
    expect(index.suggest('Barcelna')).toEqual(['Barcelona'])
    expect(index.suggest('Atlantis')).toEqual([])
    expect(index.suggest('Ка')).toEqual([])
  })

  it.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
  })
})

describe('name normalisation', () => {
  it.each([
    ['  Saint-Petersburg ', 'saint petersburg'],
    ['St. Petersburg', 'saint petersburg'],
    ['Зелёноград', 'зеленоград'],
    ['São Paulo', 'sao paulo'],
  ])('normalizeName(%j) = %j', (input, output) => {
    expect(normalizeName(input)).toBe(output)
  })

  it.each([
    ['казани', 'казан'],
    ['казань', 'казан'],
    ['рим', 'рим'],
    ['нижнем новгороде', 'нижн новгород'],
  ])('russianStem(%j) = %j', (input, output) => {
    expect(russianStem(input)).toBe(output)
  })
})
