// The customer risk score of SPEC §3, as data plus one pure function (tested table-driven):
// base 700; age < 25: −50; age > 50: +30; −25 per claim; −15 per late payment; +10 per full year
// as a customer, at most +50; always clamped to 300–850.

export interface RiskFactors {
  /** Whole years; null when the birth date is unknown (no age adjustment). */
  age: number | null;
  /** Claims counted against the customer (see risk.service.ts for which). */
  claims: number;
  latePayments: number;
  /** Full years since the customer was created. */
  yearsAsCustomer: number;
}

export interface RiskRules {
  base: number;
  youngAge: { below: number; points: number };
  senior: { above: number; points: number };
  perClaim: number;
  perLatePayment: number;
  perYearAsCustomer: number;
  loyaltyCap: number;
  min: number;
  max: number;
}

export const RISK_RULES: Readonly<RiskRules> = {
  base: 700,
  youngAge: { below: 25, points: -50 },
  senior: { above: 50, points: 30 },
  perClaim: -25,
  perLatePayment: -15,
  perYearAsCustomer: 10,
  loyaltyCap: 50,
  min: 300,
  max: 850,
};

export interface RiskScoreResult {
  score: number;
  /** The score before clamping to min–max. */
  unclamped: number;
}

export function computeRiskScore(f: RiskFactors, rules: Readonly<RiskRules> = RISK_RULES): RiskScoreResult {
  let score = rules.base;
  if (f.age != null && f.age < rules.youngAge.below) score += rules.youngAge.points;
  if (f.age != null && f.age > rules.senior.above) score += rules.senior.points;
  score += rules.perClaim * Math.max(0, f.claims);
  score += rules.perLatePayment * Math.max(0, f.latePayments);
  score += Math.min(rules.perYearAsCustomer * Math.max(0, f.yearsAsCustomer), rules.loyaltyCap);
  return { score: Math.min(rules.max, Math.max(rules.min, score)), unclamped: score };
}

/** Full years from `from` to `to` (both UTC); 0 when `to` is earlier. */
export function fullYearsBetween(from: Date, to: Date): number {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  const monthDay = (d: Date) => [
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ];
  const a = monthDay(from);
  const b = monthDay(to);
  const i = a.findIndex((value, index) => value !== b[index]);
  if (i >= 0 && b[i] < a[i]) years -= 1;
  return Math.max(0, years);
}
