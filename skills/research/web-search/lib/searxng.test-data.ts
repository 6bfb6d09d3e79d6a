/** A SearXNG answer as a real instance sends it (trimmed to the fields that matter). */
export const SEARXNG_BODY = {
  query: 'oyster grades',
  number_of_results: 0,
  results: [
    {
      url: 'https://www.huitres-marennes-oleron.info/en/calibres',
      title: 'Oyster sizes and grades explained',
      content:
        'Cupped oysters are sold by calibre, from No. 0 (over 150 g)   to No. 5 (30 to 45 g).\nThe fill index decides fine or spéciale.',
      engine: 'duckduckgo',
      engines: ['duckduckgo', 'brave'],
      score: 4.2857142857,
      publishedDate: '2025-03-01T00:00:00',
      category: 'general',
    },
    {
      url: 'https://en.wikipedia.org/wiki/Oyster',
      title: 'Oyster - Wikipedia',
      content: null,
      engine: 'wikipedia',
      score: 1.5,
      publishedDate: null,
    },
    { url: 'https://en.wikipedia.org/wiki/Oyster', title: 'Duplicate', engine: 'bing', score: 1 },
    { url: 'javascript:alert(1)', title: 'Bad link', score: 9 },
    { url: 'https://example.org/no-title', title: '', score: 9 },
    { url: 'https://example.org/third', title: 'Third', content: 'x', engine: 'brave' },
  ],
  answers: [],
  suggestions: [],
}
