// Command words around the search terms: "search the web for …", "найди в интернете …".
const LEADING = [
  /^(?:please\s+)?(?:can you\s+|could you\s+)?(?:search|look\s+up|lookup|find|google|browse)(?:\s+(?:the\s+)?(?:web|internet|online|net))?(?:\s+(?:for|about|on))?(?:\s+|$)/iu,
  /^(?:пожалуйста\s+)?(?:найди|поищи|ищи|искать|загугли|погугли|посмотри|проверь)(?:\s+(?:мне|пожалуйста))?(?:\s+(?:в|по)\s+(?:интернете|сети|гугле|вебе|поиске))?(?:\s+(?:про|о|об|обо|информацию\s+(?:о|об|про)|статьи\s+(?:о|об|про)|новости\s+(?:о|об|про)))?(?:\s+|$)/iu,
]
const TRAILING =
  /\s+(?:online|on\s+the\s+(?:web|internet)|in\s+the\s+web|в\s+интернете|в\s+сети|в\s+гугле)\s*[.!?]*$/iu

/**
 * The search terms of a request: the quoted text when there is some ("…", «…», “…”), otherwise the
 * request without its command words ("search the web for", "look up … online", "найди в
 * интернете", "поищи в сети"); undefined when nothing is left. Meant as the skill's own parameter
 * extractor once the orchestrator lets a skill declare one (today it fills free text only from
 * quotes).
 *
 * @example
 * ```ts
 * extractSearchQuery('search the web for oyster grades') // 'oyster grades'
 * extractSearchQuery('найди в интернете «калибр устриц»') // 'калибр устриц'
 * ```
 */
export function extractSearchQuery(text: string): string | undefined {
  const quoted = /"([^"]+)"|«([^»]+)»|“([^”]+)”/u.exec(text)
  const inQuotes = (quoted?.[1] ?? quoted?.[2] ?? quoted?.[3])?.trim()
  if (inQuotes) return inQuotes
  let rest = text.trim().replace(/[.!?]+$/u, '')
  for (const pattern of LEADING) rest = rest.replace(pattern, '')
  rest = rest.replace(TRAILING, '').trim()
  return rest &&
    rest.toLowerCase() !==
      text
        .trim()
        .toLowerCase()
        .replace(/[.!?]+$/u, '')
    ? rest
    : undefined
}
