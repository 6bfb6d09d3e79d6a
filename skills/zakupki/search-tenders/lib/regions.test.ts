import { describe, expect, it } from 'vitest'
import { findRegionMentions, resolveRegion } from './regions.js'

describe('resolveRegion', () => {
  it.each([
    ['Москва', '77'],
    ['в Москве', '77'],
    ['Moscow', '77'],
    ['Moscow Oblast', '50'],
    ['Московская область', '50'],
    ['Республика Татарстан', '16'],
    ['Kazan', '16'],
    ['Краснодарский край', '23'],
    ['Krasnodar Krai', '23'],
    ['Санкт-Петербург', '78'],
    ['St. Petersburg', '78'],
    ['Приморье', '25'],
    ['Уфа', '02'],
    ['77', '77'],
    ['2', '02'],
  ])('%s → %s', (value, code) => {
    expect(resolveRegion(value)?.code).toBe(code)
  })

  it.each(['Атлантида', 'Ufanet', '99', ''])('does not guess "%s"', (value) => {
    expect(resolveRegion(value)).toBeUndefined()
  })
})

describe('findRegionMentions', () => {
  it('finds regions and capitals in any case form, with their spans', () => {
    const text = 'тендеры в Татарстане и в Подмосковье'
    const found = findRegionMentions(text)
    expect(found.map((m) => m.region.code)).toEqual(['16', '50'])
    expect(found.map((m) => text.slice(...m.span))).toEqual(['Татарстане', 'Подмосковье'])
  })

  it('does not read a region inside another word', () => {
    expect(findRegionMentions('Муфаса и Ufanet')).toEqual([])
  })
})
