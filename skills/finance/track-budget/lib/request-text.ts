import { findCategory } from './categories.js'
import type { PeriodKind } from './periods.js'

/** What the tracker can be asked to do. */
export type BudgetAction = 'add-expense' | 'set-budget' | 'report'

interface Spanned {
  span: readonly [number, number]
}

/** What the extractor reads of the orchestrator's building blocks. */
export interface RequestBlocks {
  money?: readonly Spanned[]
  numbers?: readonly Spanned[]
  dates?: readonly Spanned[]
}

const SPENT_RE =
  /(?:^|[^\p{L}])(?:spent|spend|spending|paid|pay|bought|buy|add(?:ed)?\s+(?:an?\s+)?expense|record(?:ed)?\s+(?:an?\s+)?expense|log(?:ged)?\s+(?:an?\s+)?expense|потратил\p{L}*|трачу|потрачено|заплатил\p{L}*|оплатил\p{L}*|купил\p{L}*|расход\p{L}*|запиши\s+трат\p{L}*)(?![\p{L}])/iu
const BUDGET_RE = /(?:^|[^\p{L}])(?:budget\p{L}*|limit\p{L}*|бюджет\p{L}*|лимит\p{L}*)(?![\p{L}])/iu
const QUESTION_RE =
  /(?:^|[^\p{L}])(?:how\s+much|how\s+many|left|remain\p{L}*|report|summary|status|overspend\p{L}*|over\s+budget|exceed\p{L}*|сколько|остал\p{L}*|отч[её]т\p{L}*|сводк\p{L}*|итог\p{L}*|превыш\p{L}*|перерасход\p{L}*)(?![\p{L}])/iu
const SET_RE =
  /(?:^|[^\p{L}])(?:set|change|update|raise|lower|установи\p{L}*|задай\p{L}*|постав\p{L}*|измени\p{L}*|увелич\p{L}*|уменьш\p{L}*)(?![\p{L}])/iu
const WEEK_RE = /(?:^|[^\p{L}])(?:week\p{L}*|недел\p{L}*|еженедельн\p{L}*)(?![\p{L}])/iu
const MONTH_RE =
  /(?:^|[^\p{L}])(?:month\p{L}*|месяц\p{L}*|месяч\p{L}*|ежемесячн\p{L}*)(?![\p{L}])/iu

/**
 * What the request asks: an amount with "spent / потратил / paid / заплатил" is an expense; an
 * amount with "budget / бюджет / лимит" (and no question) sets a budget; any other amount is an
 * expense too ("taxi 1200"); no amount is a report ("how much is left", "сколько осталось") —
 * unless it says to set a budget ("set a budget for travel"), which then fails asking the amount.
 *
 * @example
 * ```ts
 * actionOf('потратил 1200 рублей на такси', true) // 'add-expense'
 * actionOf('set a budget of 50000 for travel', true) // 'set-budget'
 * actionOf('how much budget is left this month', false) // 'report'
 * ```
 */
export function actionOf(text: string, hasAmount: boolean): BudgetAction {
  if (!hasAmount)
    return SET_RE.test(text) && BUDGET_RE.test(text) && !QUESTION_RE.test(text)
      ? 'set-budget'
      : 'report'
  if (SPENT_RE.test(text)) return 'add-expense'
  if (BUDGET_RE.test(text) && !QUESTION_RE.test(text)) return 'set-budget'
  return 'add-expense'
}

/** `week` or `month` when the text names one ("this week", "на месяц", "monthly"). */
export function periodOfText(text: string): PeriodKind | undefined {
  if (WEEK_RE.test(text)) return 'week'
  if (MONTH_RE.test(text)) return 'month'
  return undefined
}

// "on taxi", "for travel", "на такси", "за продукты": the words up to a date, period or clause end.
const CATEGORY_RE =
  /(?:^|[^\p{L}])(?:on|for|на|за)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+)?(\p{L}[\p{L}-]*(?:\s+\p{L}[\p{L}-]*){0,2}?)(?=\s+(?:this|last|next|today|yesterday|on|in|at|for|per|from|since|в|во|на|за|с|со|сегодня|вчера|позавчера|этот|этом|этой|эту|прошл\p{L}*|текущ\p{L}*)(?![\p{L}])|\s*[.,;:!?\d]|\s*$)/giu
const NOT_CATEGORIES =
  /^(?:month\p{L}*|week\p{L}*|day|today|yesterday|this|budget|месяц\p{L}*|недел\p{L}*|день|сегодня|вчера|бюджет\p{L}*|сумм\p{L}*|\p{Lu}{3}|rub\p{L}*|руб\p{L}*|dollar\p{L}*|доллар\p{L}*|euro\p{L}*|евро|yuan|юан\p{L}*)$/iu

/**
 * The category a request names: "on taxi", "for travel", "на такси", "за продукты" (a known
 * category, or the words as written), else any known category word in the text ("monthly food
 * budget" → `groceries`).
 *
 * @example
 * ```ts
 * categoryOfText('I spent 1200 rubles on taxi') // 'taxi'
 * categoryOfText('потратил 300 на корм для кота') // 'корм'
 * ```
 */
export function categoryOfText(text: string): string | undefined {
  for (const match of text.matchAll(CATEGORY_RE)) {
    const words = match[1]?.trim() ?? ''
    if (words === '' || NOT_CATEGORIES.test(words)) continue
    return findCategory(words) ?? words.toLowerCase()
  }
  return findCategory(text)
}

/**
 * The skill's own reading of a budget request: the action (see `actionOf`), the category and the
 * period kind — what the generic extractors cannot find. Amount, currency and date are left to
 * them.
 */
export function extractBudgetRequest(
  text: string,
  blocks: RequestBlocks,
): { action: BudgetAction; category?: string; period?: PeriodKind } {
  // A number inside a date ("21 ноября", "2026-11-21") is not an amount.
  const dates = blocks.dates ?? []
  const inDate = (n: Spanned): boolean =>
    dates.some((d) => d.span[0] <= n.span[0] && n.span[1] <= d.span[1])
  const hasAmount =
    (blocks.money?.length ?? 0) > 0 || (blocks.numbers ?? []).some((n) => !inDate(n))
  const category = categoryOfText(text)
  const period = periodOfText(text)
  return {
    action: actionOf(text, hasAmount),
    ...(category ? { category } : {}),
    ...(period ? { period } : {}),
  }
}
