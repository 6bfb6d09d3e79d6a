import { matchAt, type TextMatch } from './match.js'
import { matchesIn } from './regex.js'

const EMAIL_RE =
  /(?<![\p{L}\d._%+-])[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}(?![\p{L}\d-])/gu
const URL_RE =
  /(?<![\p{L}\d@.])(?:https?:\/\/[^\s<>"'«»]+|www\.[^\s<>"'«»]+|[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.(?:com|ru|рф|org|net|io|ai|dev|app|info|biz|su|de|uk|eu)(?:\/[^\s<>"'«»]*)?)(?![\p{L}\d@])/giu
const PHONE_RE = /(?<![\p{L}\d])\+?\d[\d\s().-]{7,}\d(?![\d])/gu
const UUID_RE =
  /(?<![\p{L}\d-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\p{L}\d-])/giu

/** Email addresses, lower-cased. */
export function findEmails(text: string): TextMatch<string>[] {
  if (!text.includes('@')) return []
  return matchesIn(text, EMAIL_RE).map((m) =>
    matchAt(text, m.index, m.index + m[0].length, m[0].toLowerCase()),
  )
}

/** Links: `https://…`, `www.…` (given `https://`) and bare domains with a common TLD (`zakupki.gov.ru`). */
export function findUrls(text: string): TextMatch<string>[] {
  // Each form of URL_RE has a dot or `://`.
  if (!text.includes('.') && !text.includes('://')) return []
  const emails = findEmails(text)
  const found: TextMatch<string>[] = []
  for (const m of matchesIn(text, URL_RE)) {
    const raw = m[0].replace(/[.,;:!?)]+$/u, '')
    const start = m.index
    if (emails.some((e) => e.span[0] <= start && e.span[1] >= start + raw.length)) continue
    const url = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`
    found.push(matchAt(text, start, start + raw.length, url))
  }
  return found
}

/**
 * Phone numbers, loosely: 10–15 digits with spaces, dashes, dots or brackets. Normalised to `+` and
 * digits; a Russian `8 9xx…` becomes `+7 9xx…`.
 */
export function findPhones(text: string): TextMatch<string>[] {
  const found: TextMatch<string>[] = []
  for (const m of matchesIn(text, PHONE_RE)) {
    const raw = m[0].trim()
    let digits = raw.replace(/\D/g, '')
    if (digits.length < 10 || digits.length > 15) continue
    // Dates and number groups are not phones: a phone has a +, brackets, or a long plain run.
    if (!/^\+|\(|^\d{10,}$|^[78][\s-]?\(?\d{3}/.test(raw)) continue
    if (digits.length === 11 && digits.startsWith('8') && !raw.startsWith('+'))
      digits = `7${digits.slice(1)}`
    if (digits.length === 10 && !raw.startsWith('+')) digits = `7${digits}`
    found.push(matchAt(text, m.index, m.index + raw.length, `+${digits}`))
  }
  return found
}

/** UUIDs, lower-cased. */
export function findUuids(text: string): TextMatch<string>[] {
  return matchesIn(text, UUID_RE).map((m) =>
    matchAt(text, m.index, m.index + m[0].length, m[0].toLowerCase()),
  )
}
