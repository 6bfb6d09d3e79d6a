/**
 * `postgres://user:secret@host/db` → `postgres://user:***@host/db`. Safe to log and to put in errors.
 *
 * @example
 * ```ts
 * maskUrl('redis://:hunter2@cache:6379') // 'redis://:***@cache:6379'
 * ```
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '***')
    }
    return parsed.toString()
  } catch {
    // Not a URL we can parse: hide anything between "//" and "@" rather than risk echoing a secret.
    return url.replace(/\/\/[^@/]*@/, '//***@')
  }
}

/** A secret shown as `***` plus its last 4 characters when it is long enough to keep them unguessable. */
export function maskSecret(secret: string): string {
  return secret.length >= 20 ? `***${secret.slice(-4)}` : '***'
}
