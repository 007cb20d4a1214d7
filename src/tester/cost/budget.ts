/** Compare a monthly total with a budget: over budget fails, at/over `warnAtPercent` warns. */
export interface Budget {
  monthly: number;
  /** Default 80. */
  warnAtPercent?: number;
}
export interface BudgetResult {
  status: 'pass' | 'warn' | 'fail';
  /** monthlyTotal as a percentage of the budget (1 decimal). */
  percent: number;
  message: string;
}

export function checkBudget(monthlyTotal: number, budget: Budget, currency = 'USD'): BudgetResult {
  if (!Number.isFinite(budget.monthly) || budget.monthly < 0) throw new Error(`invalid budget: monthly must be a non-negative number, got ${budget.monthly}`);
  if (!Number.isFinite(monthlyTotal) || monthlyTotal < 0) throw new Error(`invalid monthly total: ${monthlyTotal}`);
  const warnAt = budget.warnAtPercent ?? 80;
  if (!Number.isFinite(warnAt) || warnAt < 0 || warnAt > 100) throw new Error(`invalid warnAtPercent ${warnAt}: must be 0..100`);
  const raw = budget.monthly === 0 ? (monthlyTotal === 0 ? 0 : Infinity) : (monthlyTotal / budget.monthly) * 100;
  const percent = Number.isFinite(raw) ? Math.round(raw * 10) / 10 : raw;
  const fmt = (n: number) => `${n.toFixed(2)} ${currency}`;
  const pctText = Number.isFinite(percent) ? `${percent}%` : 'over a zero budget';
  if (monthlyTotal > budget.monthly) {
    return { status: 'fail', percent, message: `over budget: ${fmt(monthlyTotal)}/month is ${pctText} of ${fmt(budget.monthly)} (by ${fmt(monthlyTotal - budget.monthly)})` };
  }
  if (raw >= warnAt) {
    return { status: 'warn', percent, message: `${fmt(monthlyTotal)}/month is ${pctText} of the ${fmt(budget.monthly)} budget (warn at ${warnAt}%)` };
  }
  return { status: 'pass', percent, message: `${fmt(monthlyTotal)}/month is ${pctText} of the ${fmt(budget.monthly)} budget` };
}
