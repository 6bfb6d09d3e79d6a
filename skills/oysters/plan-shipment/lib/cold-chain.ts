import { readFileSync } from 'node:fs'
import { maskUrl, SkillOSError } from '@skillos/contracts'
import { z } from 'zod'

export const LEG_MODES = ['truck', 'air', 'rail', 'sea', 'customs', 'storage'] as const
export type LegMode = (typeof LEG_MODES)[number]

export const legSchema = z.object({
  from: z.string(),
  to: z.string(),
  mode: z.enum(LEG_MODES),
  hours: z.number().positive(),
  temperatureC: z.number().optional(),
  note: z.string().optional(),
})
export type Leg = z.infer<typeof legSchema>

const gradeTable = z.record(z.string(), z.number().positive())

/** Everything the plan is computed from: band, shelf life, packing, places and typical routes. */
export const coldChainSchema = z.object({
  asOf: z.string(),
  band: z.object({ minC: z.number(), maxC: z.number() }),
  shelfLifeDays: z.number().positive(),
  packing: z.object({
    boxTareKg: z.number().min(0),
    boxDimensionsCm: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
    volumetricDivisor: z.number().positive(),
    piecesPerBox: gradeTable,
    gramsPerPiece: gradeTable,
  }),
  places: z.array(z.object({ id: z.string(), name: z.string(), aliases: z.array(z.string()) })),
  routes: z.array(z.object({ from: z.string(), to: z.string(), legs: z.array(legSchema).min(1) })),
})
export type ColdChainData = z.infer<typeof coldChainSchema>

let offline: ColdChainData | undefined

/** The data this skill ships with (schedules of autumn 2026), read once. */
export function loadColdChain(): ColdChainData {
  offline ??= coldChainSchema.parse(
    JSON.parse(readFileSync(new URL('../fixtures/cold-chain-2026.json', import.meta.url), 'utf8')),
  )
  return offline
}

/**
 * The same data from a live endpoint (`GET <url>` answering the fixture's JSON), for a forwarder's
 * current schedules. Unreachable or HTTP error → `UNAVAILABLE`, wrong body → `UPSTREAM_FAILED`; both
 * name the URL with credentials masked. Never falls back to the offline data.
 */
export async function fetchColdChain(url: string, signal?: AbortSignal): Promise<ColdChainData> {
  const shown = maskUrl(url)
  let response: Response
  try {
    const target = new URL(url)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (target.username || target.password) {
      const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
      target.username = ''
      target.password = ''
    }
    response = await fetch(target, { headers, ...(signal ? { signal } : {}) })
  } catch (cause) {
    const error = cause as { message?: string; cause?: { code?: string } }
    const detail = String(error.cause?.code ?? error.message ?? cause)
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `cold-chain routes at ${shown} are unreachable: ${detail.split(url).join(shown)}`,
      cause,
    })
  }
  if (!response.ok)
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `cold-chain routes at ${shown} answered HTTP ${response.status}`,
    })
  const parsed = coldChainSchema.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `cold-chain routes at ${shown} are not in the expected shape: ${issue?.path.join('.')} ${issue?.message}`,
    })
  }
  return parsed.data
}
