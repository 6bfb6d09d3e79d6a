import { readFileSync } from 'node:fs'
import { SkillOSError } from '@skillos/contracts'
import { z } from 'zod'

const costsSchema = z.object({
  asOf: z.string(),
  dutyPercent: z.number().min(0).max(100),
  dutySource: z.string(),
  vatPercent: z.number().min(0).max(100),
  vatSource: z.string(),
  freightPerPiece: z.number().min(0),
  freightCurrency: z.string().length(3),
  freightSource: z.string(),
})
export type ImportCosts = z.infer<typeof costsSchema>

let offline: ImportCosts | undefined

/** The default import costs this skill ships with (November 2026). */
export function loadImportCosts(): ImportCosts {
  offline ??= costsSchema.parse(
    JSON.parse(
      readFileSync(new URL('../fixtures/import-costs-2026-11.json', import.meta.url), 'utf8'),
    ),
  )
  return offline
}

/** This skill's own settings (`skills.settings["oysters/calculate-margin"]`), all optional. */
export interface MarginSettings {
  dutyPercent?: number
  vatPercent?: number
  freightPerPiece?: number
  freightCurrency?: string
  /** false: VAT is a cost (a business that does not recover import VAT). Default true. */
  vatPayer: boolean
}

const settingsSchema = z.object({
  dutyPercent: z.number().min(0).max(100).optional(),
  vatPercent: z.number().min(0).max(100).optional(),
  freightPerPiece: z.number().min(0).optional(),
  freightCurrency: z.string().length(3).optional(),
  vatPayer: z.boolean().optional(),
})

/** Reads the settings; a bad value is `CONFIG_INVALID` naming it. */
export function readMarginSettings(config: Readonly<Record<string, unknown>>): MarginSettings {
  const parsed = settingsSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `skills.settings.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    })
  }
  const { vatPayer, ...rest } = parsed.data
  return { ...rest, vatPayer: vatPayer ?? true }
}
