import type { TenderAnalysis } from './analyze.js'

function money(amount: number): string {
  const [whole = '0', kopecks = '00'] = amount.toFixed(2).split('.')
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${kopecks}`
}

/**
 * One line for a person: the law, НМЦК, securities, submission deadline and the risk count.
 *
 * @example
 * summarize(analysis) // '44-FZ; НМЦК 2 845 600,00 RUB; bid security 1 % (28 456,00 RUB); …'
 */
export function summarize(analysis: TenderAnalysis): string {
  const parts: string[] = []
  if (analysis.law) parts.push(analysis.law)
  if (analysis.nmck) parts.push(`НМЦК ${money(analysis.nmck.amount)} RUB`)
  for (const [label, security] of [
    ['bid security', analysis.bidSecurity],
    ['contract security', analysis.contractSecurity],
  ] as const) {
    if (!security) continue
    if (!security.required) parts.push(`${label} not required`)
    else {
      const pct =
        security.percent !== undefined ? `${String(security.percent).replace('.', ',')} %` : ''
      const amount = security.amount !== undefined ? `${money(security.amount)} RUB` : ''
      parts.push(`${label} ${pct && amount ? `${pct} (${amount})` : pct || amount}`.trim())
    }
  }
  const submission = analysis.deadlines.find((d) => d.kind === 'submission')
  if (submission?.date)
    parts.push(`bids until ${submission.date}${submission.time ? ` ${submission.time}` : ''}`)
  const high = analysis.risks.filter((r) => r.severity === 'high').length
  parts.push(
    `${analysis.risks.length} risk flag${analysis.risks.length === 1 ? '' : 's'} (${high} high)`,
  )
  return parts.join('; ')
}
