import { SkillOSError } from '@skillos/contracts'
import { createTestContext } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import skill from './index.js'

describe('travel/plan-route handler', () => {
  it('plans the route from the input and reports the data date', async () => {
    const ctx = createTestContext()
    const input = skill.input?.parse({
      startCity: 'Санкт-Петербург',
      cities: ['Москва', 'Казань', 'Нижний Новгород'],
      days: 7,
      startDate: '2027-05-01',
    })
    const output = await skill.handler(input as never, ctx)
    expect(output.route.map((s) => [s.city, s.days])).toEqual([
      ['Saint Petersburg', 0],
      ['Moscow', 3],
      ['Nizhny Novgorod', 2],
      ['Kazan', 2],
    ])
    expect(output.legs.map((l) => [l.mode, l.date])).toEqual([
      ['train', '2027-05-01'],
      ['train', '2027-05-04'],
      ['train', '2027-05-06'],
    ])
    expect(output.endDate).toBe('2027-05-08')
    expect(output.dataAsOf).toBe('2025-10-01')
    expect(skill.output?.parse(output)).toEqual(output)
  })

  it('fails with VALIDATION_FAILED naming an unknown city', async () => {
    const ctx = createTestContext()
    await expect(
      Promise.resolve().then(() => skill.handler({ cities: ['Kazan', 'Narnia'] } as never, ctx)),
    ).rejects.toSatisfy(
      (e: unknown) =>
        SkillOSError.is(e) &&
        e.code === 'VALIDATION_FAILED' &&
        e.message.startsWith('cities: unknown city "Narnia"'),
    )
  })

  it('rejects a malformed start date at the schema', () => {
    expect(skill.input?.safeParse({ cities: ['Kazan'], startDate: '1 June' }).success).toBe(false)
    expect(skill.input?.safeParse({ cities: [] }).success).toBe(false)
  })
})
