import { analyze } from '@skillos/recommender'
import { describe, expect, it } from 'vitest'
import { bestPassage, SNIPPET_MAX_CHARS, splitSentences } from './passages.js'

describe('splitSentences', () => {
  it.each([
    ['One. Two! Three? Four', ['One.', 'Two!', 'Three?', 'Four']],
    ['No. 2 weighs 86 to 120 g. Next one.', ['No. 2 weighs 86 to 120 g.', 'Next one.']],
    ['Согласно ст. 37 цена снижена. Далее.', ['Согласно ст. 37 цена снижена.', 'Далее.']],
    ['Price is 0.5% to 1%. Done.', ['Price is 0.5% to 1%.', 'Done.']],
    ['List:\n1. First item.\n2. Second item.', ['List:', '1. First item.', '2. Second item.']],
    ['Wait… what?', ['Wait…', 'what?']],
    ['', []],
  ])('splits %j', (text, expected) => {
    expect(splitSentences(text).map((s) => s.text)).toEqual(expected)
  })

  it('gives each sentence its offset in the text', () => {
    expect(splitSentences('Ab.  Cd.')).toEqual([
      { text: 'Ab.', start: 0 },
      { text: 'Cd.', start: 5 },
    ])
  })
})

describe('bestPassage', () => {
  const body =
    'Intro about France. No. 2 weighs 86 to 120 g. Oysters are graded by weight. The end of a long text that goes on and on about other matters entirely, with many words in it, so many words that it cannot fit into the snippet together with the sentence before it, whatever that sentence is.'

  it('picks the sentence with the most query weight and adds the next one while short', () => {
    expect(bestPassage(body, analyze('graded by weight'), () => 1)).toBe(
      'Oysters are graded by weight.',
    )
    expect(bestPassage(body, analyze('France'), () => 1)).toBe(
      'Intro about France. No. 2 weighs 86 to 120 g. Oysters are graded by weight.',
    )
  })

  it('prefers the sentence holding the rarer term', () => {
    const weights: Record<string, number> = { franc: 5, oyster: 1 }
    expect(
      bestPassage(
        'Oysters here. France and oysters there.',
        analyze('oysters France'),
        (t) => weights[t] ?? 0,
      ),
    ).toBe('France and oysters there.')
  })

  it('falls back to the opening when nothing matches', () => {
    expect(bestPassage(body, analyze('visa'), () => 1)).toBe(
      'Intro about France. No. 2 weighs 86 to 120 g. Oysters are graded by weight.',
    )
  })

  it('never returns more than the snippet limit', () => {
    const long = `${'word '.repeat(200)}oysters.`
    const passage = bestPassage(long, analyze('oysters'), () => 1)
    expect(passage.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS)
    expect(passage.endsWith('…')).toBe(true)
  })

  it('returns an empty snippet for an empty body', () => {
    expect(bestPassage('', analyze('x'), () => 1)).toBe('')
  })
})
