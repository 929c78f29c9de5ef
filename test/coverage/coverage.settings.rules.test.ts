// The stored coverage settings and the rule table (table-driven, no database): the defaults the
// migration seeds are DEFAULT_RULES; changed settings change the analysis; bad changes are named.
import { analyseCoverage } from '../../src/modules/coverage/coverage.analysis';
import type { CoverageCustomer, CoveragePolicy } from '../../src/modules/coverage/coverage.model';
import { DEFAULT_RULES } from '../../src/modules/coverage/coverage.rules';
import {
  applySettingsChange,
  changedSettings,
  rulesWithSettings,
  settingsOf,
  validateSettingsChange,
  type CoverageSettingsChange,
} from '../../src/modules/coverage/coverage.settings';
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import { DomainError, Validator } from '../../src/shared/domain-error';

const D = (v: string) => new Decimal(v);
const TODAY = new Date('2025-07-01T09:30:00Z');
const customer = (over: Partial<CoverageCustomer> = {}): CoverageCustomer => ({
  prefCurrency: 'KRW',
  birthDate: new Date('1985-03-15T00:00:00Z'),
  annualIncome: D('60000000'),
  dependants: 2,
  debts: null,
  mortgageBalance: null,
  educationCosts: null,
  ...over,
});
const policy = (
  type: CoveragePolicy['type'],
  coverage: string,
  over: Partial<CoveragePolicy> = {},
): CoveragePolicy => ({
  id: `${type}-1`,
  number: `${type}-000001`,
  type,
  status: 'ACTIVE',
  premium: D('10000'),
  premiumFrequency: 'MONTHLY',
  coverageAmount: D(coverage),
  currency: 'KRW',
  endDate: new Date('2026-06-30T00:00:00Z'),
  ...over,
});

describe('settingsOf / rulesWithSettings', () => {
  it('the defaults are exactly DEFAULT_RULES (what the migration seeds)', () => {
    const defaults = settingsOf();
    expect({
      ...defaults,
      maxPremiumShareOfIncome: defaults.maxPremiumShareOfIncome.toFixed(),
      floors: defaults.floors.map((f) => `${f.currency} ${f.amount.toFixed()}`),
    }).toEqual({
      dimeIncomeYears: 10,
      incomeMultiple: 10,
      ageNoHealthOlderThan: 50,
      ageNoAccidentOlderThan: 50,
      expiringWithinDays: 30,
      expiringUrgentWithinDays: 7,
      maxPremiumShareOfIncome: '0.15',
      floors: [
        'KRW 100000000',
        'USD 75000',
        'EUR 70000',
        'GBP 60000',
        'JPY 11000000',
        'CHF 65000',
        'CAD 100000',
        'AUD 110000',
        'CNY 540000',
      ],
    });
    expect(rulesWithSettings(settingsOf())).toEqual(DEFAULT_RULES);
  });

  const covered = [policy('LIFE', '600000000'), policy('HEALTH', '100000000'), policy('ACCIDENT', '100000000')];
  const codes = (rules = DEFAULT_RULES, c = customer(), ps = covered) =>
    analyseCoverage(c, ps, TODAY, rules).gaps.map(
      (g) => `${g.code} ${g.severity} ${g.suggestedAmount?.toFixed() ?? '-'}`,
    );
  const withChange = (change: CoverageSettingsChange) => rulesWithSettings(applySettingsChange(settingsOf(), change));

  it.each<[string, CoverageSettingsChange, CoverageCustomer, CoveragePolicy[], string[], string[]]>([
    [
      'KRW floor raised to 900,000,000',
      { floors: [{ currency: 'KRW', amount: D('900000000') }] },
      customer(),
      covered,
      [],
      ['TOTAL_BELOW_FLOOR MEDIUM 100000000'],
    ],
    [
      'no KRW floor at all',
      { floors: [] },
      customer({ annualIncome: null }),
      [policy('HEALTH', '50000000')],
      ['NO_LIFE HIGH -', 'TOTAL_BELOW_FLOOR MEDIUM 50000000'],
      ['NO_LIFE HIGH -'],
    ],
    ['income multiple 12', { incomeMultiple: 12 }, customer(), covered, [], ['LIFE_BELOW_NEED HIGH 120000000']],
    [
      'DIME with 5 years of income',
      { dimeIncomeYears: 5 },
      customer({ debts: D('20000000'), mortgageBalance: D('300000000') }),
      covered,
      ['LIFE_BELOW_NEED HIGH 320000000'],
      ['LIFE_BELOW_NEED HIGH 20000000'],
    ],
    [
      'age rules from 35',
      { ageNoHealthOlderThan: 35, ageNoAccidentOlderThan: 35 },
      customer(),
      [policy('LIFE', '600000000')],
      ['NO_HEALTH HIGH -'],
      ['AGE_NO_HEALTH HIGH -', 'AGE_NO_ACCIDENT MEDIUM -'],
    ],
    [
      'expiring window 60, urgent 45',
      { expiringWithinDays: 60, expiringUrgentWithinDays: 45 },
      customer(),
      [
        ...covered,
        policy('HOME', '1000', { id: 'h', number: 'HOME-000001', endDate: new Date('2025-08-10T00:00:00Z') }),
      ],
      [],
      ['EXPIRING_SOON HIGH -'],
    ],
    [
      'affordability 0.005',
      { maxPremiumShareOfIncome: D('0.005') },
      customer(),
      covered,
      [],
      ['PREMIUM_UNAFFORDABLE MEDIUM -'],
    ],
  ])('%s', (_name, change, c, ps, before, after) => {
    expect(codes(DEFAULT_RULES, c, ps)).toEqual(before);
    expect(codes(withChange(change), c, ps)).toEqual(after);
  });
});

describe('validateSettingsChange', () => {
  const problems = (change: CoverageSettingsChange) => {
    const v = new Validator();
    validateSettingsChange(v, change, applySettingsChange(settingsOf(), change));
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => i.field?.join('.'));
    }
  };
  it.each<[string, CoverageSettingsChange, string[]]>([
    ['nothing', {}, []],
    [
      'every setting at a bound',
      {
        dimeIncomeYears: 50,
        incomeMultiple: 1,
        ageNoHealthOlderThan: 0,
        ageNoAccidentOlderThan: 120,
        expiringWithinDays: 366,
        expiringUrgentWithinDays: 366,
        maxPremiumShareOfIncome: D('1'),
      },
      [],
    ],
    ['years 0', { dimeIncomeYears: 0 }, ['input.dimeIncomeYears']],
    ['multiple 51', { incomeMultiple: 51 }, ['input.incomeMultiple']],
    ['age -1', { ageNoHealthOlderThan: -1 }, ['input.ageNoHealthOlderThan']],
    ['age 121', { ageNoAccidentOlderThan: 121 }, ['input.ageNoAccidentOlderThan']],
    ['window 0', { expiringWithinDays: 0 }, ['input.expiringWithinDays']],
    ['window below the urgent 7 days', { expiringWithinDays: 5 }, ['input.expiringWithinDays']],
    ['urgent above the window', { expiringUrgentWithinDays: 31 }, ['input.expiringUrgentWithinDays']],
    ['share 0', { maxPremiumShareOfIncome: D('0') }, ['input.maxPremiumShareOfIncome']],
    ['share above 1', { maxPremiumShareOfIncome: D('1.01') }, ['input.maxPremiumShareOfIncome']],
    ['share with 5 decimals', { maxPremiumShareOfIncome: D('0.12345') }, ['input.maxPremiumShareOfIncome']],
    [
      'bad floors',
      {
        floors: [
          { currency: 'KRW', amount: D('1') },
          { currency: 'EU', amount: D('1') },
          { currency: 'KRW', amount: D('2') },
          { currency: 'USD', amount: D('-1') },
          { currency: 'GBP', amount: D('0.001') },
        ],
      },
      ['input.floors.1.currency', 'input.floors.2.currency', 'input.floors.3.amount', 'input.floors.4.amount'],
    ],
    ['a floor of 0 is valid', { floors: [{ currency: 'KRW', amount: D('0') }] }, []],
  ])('%s', (_name, change, expected) => {
    expect(problems(change)).toEqual(expected);
  });
});

describe('changedSettings', () => {
  it('names only what differs (floors compared as a set sorted by currency)', () => {
    const current = applySettingsChange(settingsOf(), {});
    expect(changedSettings(current, applySettingsChange(current, {}))).toEqual([]);
    expect(changedSettings(current, applySettingsChange(current, { incomeMultiple: 10, dimeIncomeYears: 12 }))).toEqual(
      ['dimeIncomeYears'],
    );
    expect(changedSettings(current, applySettingsChange(current, { maxPremiumShareOfIncome: D('0.1500') }))).toEqual(
      [],
    );
    expect(changedSettings(current, applySettingsChange(current, { floors: [...current.floors].reverse() }))).toEqual(
      [],
    );
    expect(changedSettings(current, applySettingsChange(current, { floors: current.floors.slice(1) }))).toEqual([
      'floors',
    ]);
  });
});
