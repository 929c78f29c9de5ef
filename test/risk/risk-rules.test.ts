import { computeRiskScore, fullYearsBetween, RISK_RULES, type RiskFactors } from '../../src/modules/risk/risk.rules';

const f = (age: number | null, claims = 0, latePayments = 0, yearsAsCustomer = 0): RiskFactors => ({
  age,
  claims,
  latePayments,
  yearsAsCustomer,
});

describe('risk score (SPEC §3): base 700, age, claims, late payments, loyalty, clamped to 300–850', () => {
  it.each([
    // factors                         score  unclamped   why
    [f(30), 700, 700], //                                  base only
    [f(null), 700, 700], //                                unknown age: no age adjustment
    [f(24), 650, 650], //                                  under 25: −50
    [f(25), 700, 700], //                                  25 is not under 25
    [f(50), 700, 700], //                                  50 is not over 50
    [f(51), 730, 730], //                                  over 50: +30
    [f(30, 1), 675, 675], //                               −25 per claim
    [f(30, 0, 2), 670, 670], //                            −15 per late payment
    [f(30, 0, 0, 1), 710, 710], //                         +10 per full year
    [f(30, 0, 0, 5), 750, 750], //                         +50 at 5 years
    [f(30, 0, 0, 12), 750, 750], //                        loyalty capped at +50
    [f(60, 0, 0, 30), 780, 780], //                        best case without clamping
    [f(22, 3, 4, 2), 535, 535], //                         700 − 50 − 75 − 60 + 20
    [f(40, 20, 0, 0), 300, 200], //                        clamped at the bottom
    [f(18, 30, 30, 0), 300, -550], //                      700 − 50 − 750 − 450: still 300
    [f(30, 0, 0, 0), 700, 700],
  ])('%o → %i (unclamped %i)', (factors, score, unclamped) => {
    expect(computeRiskScore(factors)).toEqual({ score, unclamped });
  });

  it('clamps at the top when the rules would exceed 850', () => {
    const generous = { ...RISK_RULES, base: 820 };
    expect(computeRiskScore(f(70, 0, 0, 10), generous)).toEqual({ score: 850, unclamped: 900 });
    expect(computeRiskScore(f(70, 0, 0, 0), generous)).toEqual({ score: 850, unclamped: 850 });
  });

  it('never rewards negative inputs', () => {
    expect(computeRiskScore(f(30, -4, -4, -4))).toEqual({ score: 700, unclamped: 700 });
  });

  it.each([
    ['2000-06-15T00:00:00Z', '2026-06-14T23:59:59Z', 25],
    ['2000-06-15T00:00:00Z', '2026-06-15T00:00:00Z', 26],
    ['2000-06-15T00:00:00Z', '2026-03-20T00:00:00Z', 25], // an earlier month, a later day
    ['2000-06-15T00:00:00Z', '2026-09-01T00:00:00Z', 26], // a later month, an earlier day
    ['2024-02-29T00:00:00Z', '2025-02-28T00:00:00Z', 0],
    ['2024-02-29T00:00:00Z', '2025-03-01T00:00:00Z', 1],
    ['2026-01-01T10:00:00Z', '2025-01-01T10:00:00Z', 0],
  ])('full years from %s to %s: %i', (from, to, years) => {
    expect(fullYearsBetween(new Date(from), new Date(to))).toBe(years);
  });
});
