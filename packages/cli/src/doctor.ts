import { redactConfig, type Config } from '@skillos/contracts'
import { inspectSystem, type SystemReport } from '@skillos/core'

export interface DoctorOutput {
  report: SystemReport
  text: string
}

function line(ok: boolean, label: string, value: string): string {
  return `  ${ok ? '✓' : '✗'} ${label.padEnd(10)} ${value}`
}

/** Render the system report as a person reads it. */
export function formatReport(
  report: SystemReport,
  config: Config,
  file: string | undefined,
): string {
  const shown = redactConfig(config)
  const lines = [
    'SkillOS doctor',
    '',
    `  config     ${file ?? 'defaults + SKILLOS_* environment (no skillos.config.* file)'}`,
  ]
  for (const check of report.checks) {
    const label = check.port === 'database' ? 'store' : 'key-value'
    const value = check.ok
      ? `${check.adapter}  ${check.url}  ${check.detail ?? ''}  ${check.ms.toFixed(0)} ms`
      : `${check.adapter}  ${check.error?.code}: ${check.error?.message}`
    lines.push(line(check.ok, label, value.replace(/\s+$/, '')))
  }
  lines.push(
    line(
      true,
      'embedder',
      shown.embedder.provider === 'local'
        ? 'local (no network)'
        : `${shown.embedder.provider} ${shown.embedder.baseUrl ?? ''}`,
    ),
  )
  lines.push(
    line(
      true,
      'model',
      shown.model.provider
        ? `${shown.model.provider} ${shown.model.name ?? ''}`
        : 'none configured (skills that need one will say so)',
    ),
  )
  for (const root of report.skillRoots) {
    lines.push(
      `  ${root.exists ? '✓' : '!'} ${'skills'.padEnd(10)} ${root.path}${root.exists ? '' : ' (does not exist yet)'}`,
    )
  }
  lines.push('', report.ok ? 'All checks passed.' : 'Some checks failed: see ✗ above.')
  return lines.join('\n')
}

/** `skillos doctor`: check every configured port and describe what is in use. */
export async function runDoctor(
  config: Config,
  file: string | undefined,
  cwd: string,
): Promise<DoctorOutput> {
  const report = await inspectSystem(config, { cwd })
  return { report, text: formatReport(report, config, file) }
}
