import { describe, expect, it } from 'vitest'
import { extractSearchQuery } from './request-query.js'

describe('extractSearchQuery', () => {
  it.each([
    ['search the web for oyster grades', 'oyster grades'],
    ['Search the internet for "oyster size grades"', 'oyster size grades'],
    ['look up Gillardeau oysters online', 'Gillardeau oysters'],
    ['google the latest changes to 44-FZ', 'the latest changes to 44-FZ'],
    ['find articles online about “Schengen visa fees”', 'Schengen visa fees'],
    ['найди в интернете калибр устриц', 'калибр устриц'],
    ['поищи в сети информацию о шенгенской визе', 'шенгенской визе'],
    ['найди в интернете «валютный контроль»', 'валютный контроль'],
    ['загугли отзывы о поставщике', 'отзывы о поставщике'],
    ['oyster grades', undefined],
    ['search the web', undefined],
    ['""', undefined],
  ])('reads %j as %j', (text, expected) => {
    expect(extractSearchQuery(text)).toBe(expected)
  })
})
