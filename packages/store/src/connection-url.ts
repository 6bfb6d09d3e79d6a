import { maskUrl, ValidationError } from '@skillos/contracts'

/** Parse a service URL, or throw a `ValidationError` naming `field`, the masked value and what is allowed. */
export function parseServiceUrl(url: string, field: string, allowed: readonly string[]): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new ValidationError(
      `${field}: "${maskUrl(url)}" is not a valid URL; expected one of ${allowed.map((s) => `${s}//…`).join(', ')}`,
      [{ path: field, message: `not a valid URL; expected one of ${allowed.join(', ')}` }],
      { cause },
    )
  }
  if (!allowed.includes(parsed.protocol)) {
    throw new ValidationError(
      `${field}: unknown scheme "${parsed.protocol}" in "${maskUrl(url)}"; allowed: ${allowed.join(', ')}`,
      [
        {
          path: field,
          message: `unknown scheme "${parsed.protocol}"; allowed: ${allowed.join(', ')}`,
        },
      ],
    )
  }
  return parsed
}
