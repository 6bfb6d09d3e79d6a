import { describe, expect, it } from 'vitest'
import { splitSentences } from './sentences.js'

const texts = (document: string) => splitSentences(document).map((s) => s.text)

describe('splitSentences', () => {
  it.each([
    ['One. Two! Three? Four…  Five', ['One.', 'Two!', 'Three?', 'Four…', 'Five']],
    ['He said "stop." Then he left.', ['He said "stop."', 'Then he left.']],
    ['Dr. Smith met Mr. Jones. They talked.', ['Dr. Smith met Mr. Jones.', 'They talked.']],
    [
      'A No. 2 oyster weighs 86 g. A No. 3 weighs less.',
      ['A No. 2 oyster weighs 86 g.', 'A No. 3 weighs less.'],
    ],
    ['The answer is no. Then we left.', ['The answer is no.', 'Then we left.']],
    ['Prices rose by 0.5 percent. Demand fell.', ['Prices rose by 0.5 percent.', 'Demand fell.']],
    ['Use e.g. Normandy oysters. Done.', ['Use e.g. Normandy oysters.', 'Done.']],
    ['Oysters, fish etc. are perishable.', ['Oysters, fish etc. are perishable.']],
    [
      'Согласно ст. 37 закона цена снижена. Далее.',
      ['Согласно ст. 37 закона цена снижена.', 'Далее.'],
    ],
    ['Поставка в г. Москва. Оплата потом.', ['Поставка в г. Москва.', 'Оплата потом.']],
    ['Закон принят в 2013 г. Он действует.', ['Закон принят в 2013 г.', 'Он действует.']],
    ['Стихи написал А. С. Пушкин. Это известно.', ['Стихи написал А. С. Пушкин.', 'Это известно.']],
    ['Т.е. всё верно. Конец.', ['Т.е. всё верно.', 'Конец.']],
    ['Class A. Oysters from it are sold.', ['Class A.', 'Oysters from it are sold.']],
  ])('splits %j', (document, expected) => {
    expect(texts(document)).toEqual(expected)
  })

  it('joins the lines of a paragraph, splits paragraphs and list items, drops a lone label', () => {
    expect(
      texts(
        'First line\ncontinues here. Second.\n\nNew paragraph\n1. Item one\n2. Item two\n- bullet',
      ),
    ).toEqual(['First line continues here.', 'Second.', '1. Item one', '2. Item two', '- bullet'])
  })

  it('leaves out headings: markdown titles and short lines without end punctuation', () => {
    expect(
      texts('# Report\nText one.\n\nKey findings\n\nText two.\n\n## Summary: all good'),
    ).toEqual(['Text one.', 'Text two.'])
  })

  it('keeps a long line without end punctuation as a sentence', () => {
    const line =
      'this line has many words and no punctuation at the end so it is not a heading at all'
    expect(texts(line)).toEqual([line])
  })

  it('numbers sentences and records where each starts in the original text', () => {
    expect(splitSentences('# T\n\nAb.  Cd.\r\nEf.')).toEqual([
      { index: 0, text: 'Ab.', start: 5 },
      { index: 1, text: 'Cd.', start: 10 },
      { index: 2, text: 'Ef.', start: 15 },
    ])
  })

  it('finds nothing in text without letters or digits', () => {
    expect(splitSentences('... !!! ???')).toEqual([])
    expect(splitSentences('')).toEqual([])
  })
})
