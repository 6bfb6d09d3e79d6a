import { describe, expect, it } from 'vitest'
import { CITY_ROWS, COUNTRY_ROWS } from './places-data.js'
import { findCities, findCountries, findRegions, russianForms } from './places.js'

describe('findCities', () => {
  it.each([
    ['из Москвы в Сочи', ['Moscow', 'Sochi']],
    ['from Moscow to Dubai', ['Moscow', 'Dubai']],
    ['в Москве', ['Moscow']],
    ['в Москву', ['Moscow']],
    ['Москвой', ['Moscow']],
    ['из Санкт-Петербурга в Дубай', ['Saint Petersburg', 'Dubai']],
    ['St. Petersburg', ['Saint Petersburg']],
    ['в Нижнем Новгороде', ['Nizhny Novgorod']],
    ['из Екатеринбурга в Казань', ['Yekaterinburg', 'Kazan']],
    ['в Казани', ['Kazan']],
    ['Ростова-на-Дону', ['Rostov-on-Don']],
    ['в Нью-Йорке', ['New York']],
    ['в Анталию', ['Antalya']],
    ['Минеральных Вод', ['Mineralnye Vody']],
    ['to New York City', ['New York']],
    ['SVO MOW-DXB', ['Moscow', 'Dubai']],
    ['a nice day in Nice', ['Nice']],
    ['кровь из вены', []],
    // Words of one name are joined by spaces, dots or hyphens only.
    ['New, York', []],
    ['в Нижнем  Новгороде и Нью-Йорке', ['Nizhny Novgorod', 'New York']],
  ])('finds %s', (text, expected) => {
    expect(findCities(text).map((m) => m.value.name)).toEqual(expected)
  })

  it('gives the IATA code and the Russian name', () => {
    expect(findCities('из Москвы')[0]?.value).toEqual({
      name: 'Moscow',
      nameRu: 'Москва',
      iata: 'MOW',
      country: 'RU',
    })
  })

  it('holds about 150 cities and 60 countries', () => {
    expect(CITY_ROWS.length).toBeGreaterThanOrEqual(150)
    expect(COUNTRY_ROWS.length).toBeGreaterThanOrEqual(60)
  })
})

describe('russianForms', () => {
  it('declines nouns and adjective + noun names', () => {
    expect(russianForms('Москва')).toEqual(
      expect.arrayContaining(['москва', 'москвы', 'москве', 'москву', 'москвой']),
    )
    expect(russianForms('Нижний Новгород')).toEqual(
      expect.arrayContaining(['нижнего новгорода', 'нижнем новгороде']),
    )
  })
})

describe('findCountries', () => {
  it.each([
    ['поставка устриц из Франции', ['FR']],
    ['в США', ['US']],
    ['Турции и Китая', ['TR', 'CN']],
    ['в Египте', ['EG']],
    ['UAE and the UK', ['AE', 'GB']],
    ['let us go', []],
  ])('finds %s', (text, expected) => {
    expect(findCountries(text).map((m) => m.value.code)).toEqual(expected)
  })
})

describe('findRegions', () => {
  it.each([
    ['в Московской области', 'Московская область'],
    ['Краснодарского края', 'Краснодарский край'],
    ['в Республике Татарстан', 'Республика Татарстан'],
    ['в Ханты-Мансийском автономном округе', 'Ханты-Мансийский автономный округ'],
    ['Moscow Oblast', 'Moscow Oblast'],
  ])('normalises %s', (text, expected) => {
    expect(findRegions(text).map((m) => m.value)).toEqual([expected])
  })
})
