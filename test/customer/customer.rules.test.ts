// Table-driven tests of the pure customer input rules (src/modules/customer/customer.rules.ts):
// normalisation and every validation at its boundary, on create (complete) and update (partial).
// Part of the mutation-tested rule tests (jest.rules.config.js).
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  type CustomerFields,
  MAX_TAGS,
  normaliseCustomer,
  validateCustomer,
} from '../../src/modules/customer/customer.rules';
import { DomainError, type Issue, Validator } from '../../src/shared/domain-error';

const TODAY = new Date('2025-07-01T09:30:00Z');
const VALID: CustomerFields = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };

/** The issues validateCustomer reports, as "field.path: message" (empty when valid). */
function issuesOf(fields: CustomerFields, partial = false): string[] {
  const v = new Validator();
  validateCustomer(v, fields, partial, TODAY);
  try {
    v.throwIfInvalid();
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).issues.map((i: Issue) => `${i.code} ${i.field!.join('.')}: ${i.message}`);
  }
}

describe('normaliseCustomer', () => {
  it.each<[string, CustomerFields, CustomerFields]>([
    [
      'trims names, lower-cases and trims the e-mail',
      { firstName: '  Jane ', lastName: ' Doe  ', email: '  Jane.DOE@Example.COM ' },
      { firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com' },
    ],
    [
      'strips spaces, dots, dashes and brackets from the phone, keeps the +',
      { phone: ' +1 (415) 555-01.23 ' },
      { phone: '+14155550123' },
    ],
    ['an occupation of only spaces becomes null', { occupation: '   ' }, { occupation: null }],
    ['an occupation is trimmed', { occupation: ' Nurse ' }, { occupation: 'Nurse' }],
    ['a null occupation stays null', { occupation: null }, { occupation: null }],
    [
      'tags are trimmed, lower-cased, de-duplicated in first-seen order, empty ones dropped',
      { tags: [' VIP ', 'vip', '', '  ', 'Gold', 'gold '] },
      { tags: ['vip', 'gold'] },
    ],
    [
      'null fields stay null',
      { firstName: null, lastName: null, email: null, phone: null, tags: null },
      {
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        tags: null,
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(normaliseCustomer(input)).toMatchObject(expected);
  });

  it('leaves omitted fields undefined (an update does not change them) and keeps other fields as given', () => {
    const out: CustomerFields = normaliseCustomer<CustomerFields>({ notes: ' as is ', dependants: 2 });
    for (const key of ['firstName', 'lastName', 'email', 'phone', 'occupation', 'tags'] as const)
      expect(out[key]).toBeUndefined();
    expect(out).toMatchObject({ notes: ' as is ', dependants: 2 });
  });
});

describe('validateCustomer', () => {
  it('accepts a minimal complete customer, and an empty update', () => {
    expect(issuesOf(VALID)).toEqual([]);
    expect(issuesOf({}, true)).toEqual([]);
  });

  it('on create, requires first name, last name and e-mail, with their messages', () => {
    expect(issuesOf({})).toEqual([
      'VALIDATION input.firstName: First name is required (1–100 characters)',
      'VALIDATION input.lastName: Last name is required (1–100 characters)',
      'VALIDATION input.email: E-mail is required (up to 254 characters)',
    ]);
  });

  it.each<[string, CustomerFields, boolean, string[]]>([
    // Required text, at its length bounds.
    ['a first name of 100 characters', { ...VALID, firstName: 'a'.repeat(100) }, false, []],
    ['a first name of 101 characters', { ...VALID, firstName: 'a'.repeat(101) }, false, ['input.firstName']],
    ['an empty first name', { ...VALID, firstName: '' }, false, ['input.firstName']],
    ['a last name of 100 characters', { ...VALID, lastName: 'b'.repeat(100) }, false, []],
    ['a last name of 101 characters', { ...VALID, lastName: 'b'.repeat(101) }, false, ['input.lastName']],
    ['an empty last name', { ...VALID, lastName: '' }, false, ['input.lastName']],
    ['an e-mail of 254 characters', { ...VALID, email: 'e'.repeat(254) }, false, []],
    ['an e-mail of 255 characters', { ...VALID, email: 'e'.repeat(255) }, false, ['input.email']],
    ['an empty e-mail', { ...VALID, email: '' }, false, ['input.email']],
    ['an update that omits the required fields', { notes: 'x' }, true, []],
    [
      'an update that clears the required fields',
      { firstName: null, lastName: null, email: null },
      true,
      ['input.firstName', 'input.lastName', 'input.email'],
    ],
    ['an update that empties the first name', { firstName: '' }, true, ['input.firstName']],
    ['an update with a first name of 101 characters', { firstName: 'a'.repeat(101) }, true, ['input.firstName']],
    // Phone (E.164: +, a non-zero digit, 7 to 15 digits in all).
    ['a phone in E.164 form', { ...VALID, phone: '+14155550123' }, false, []],
    ['a phone of 7 digits', { ...VALID, phone: '+1234567' }, false, []],
    ['a phone of 6 digits', { ...VALID, phone: '+123456' }, false, ['input.phone']],
    ['a phone of 15 digits', { ...VALID, phone: '+123456789012345' }, false, []],
    ['a phone of 16 digits', { ...VALID, phone: '+1234567890123456' }, false, ['input.phone']],
    ['a phone without +', { ...VALID, phone: '14155550123' }, false, ['input.phone']],
    ['a phone starting +0', { ...VALID, phone: '+04155550123' }, false, ['input.phone']],
    ['a phone with a letter', { ...VALID, phone: '+1415555012x' }, false, ['input.phone']],
    ['a phone with text around it', { ...VALID, phone: 'tel +14155550123 ' }, false, ['input.phone']],
    ['a phone with text before it', { ...VALID, phone: 'tel+14155550123' }, false, ['input.phone']],
    ['a null phone', { ...VALID, phone: null }, false, []],
    // Birth date (TODAY is 2025-07-01).
    ['born today', { ...VALID, birthDate: '2025-07-01' }, false, []],
    ['born tomorrow', { ...VALID, birthDate: '2025-07-02' }, false, ['input.birthDate']],
    ['born 130 calendar years ago', { ...VALID, birthDate: '1895-12-31' }, false, []],
    ['born 131 calendar years ago', { ...VALID, birthDate: '1894-12-31' }, false, ['input.birthDate']],
    // Annual income: 0 ≤ income < 10^12, at most 2 decimals.
    ['an income of 0', { ...VALID, annualIncome: new Decimal('0') }, false, []],
    ['a negative income', { ...VALID, annualIncome: new Decimal('-0.01') }, false, ['input.annualIncome']],
    ['an income just below 10^12', { ...VALID, annualIncome: new Decimal('999999999999.99') }, false, []],
    ['an income of 10^12', { ...VALID, annualIncome: new Decimal('1000000000000') }, false, ['input.annualIncome']],
    ['an income with 2 decimals', { ...VALID, annualIncome: new Decimal('1.25') }, false, []],
    ['an income with 3 decimals', { ...VALID, annualIncome: new Decimal('1.255') }, false, ['input.annualIncome']],
    ['a null income', { ...VALID, annualIncome: null }, false, []],
    // The DIME inputs (debts, mortgage balance, education costs): amounts like income.
    ...(['debts', 'mortgageBalance', 'educationCosts'] as const).flatMap(
      (field): [string, CustomerFields, boolean, string[]][] => [
        [`${field} of 0`, { ...VALID, [field]: new Decimal('0') }, false, []],
        [`${field} negative`, { ...VALID, [field]: new Decimal('-0.01') }, false, [`input.${field}`]],
        [`${field} just below 10^12`, { ...VALID, [field]: new Decimal('999999999999.99') }, false, []],
        [`${field} of 10^12`, { ...VALID, [field]: new Decimal('1000000000000') }, false, [`input.${field}`]],
        [`${field} with 3 decimals`, { ...VALID, [field]: new Decimal('1.255') }, false, [`input.${field}`]],
        [`${field} null`, { ...VALID, [field]: null }, false, []],
      ],
    ),
    // Dependants, occupation, notes.
    ['50 dependants', { ...VALID, dependants: 50 }, false, []],
    ['51 dependants', { ...VALID, dependants: 51 }, false, ['input.dependants']],
    ['an occupation of 100 characters', { ...VALID, occupation: 'o'.repeat(100) }, false, []],
    ['an occupation of 101 characters', { ...VALID, occupation: 'o'.repeat(101) }, false, ['input.occupation']],
    ['notes of 5000 characters', { ...VALID, notes: 'n'.repeat(5000) }, false, []],
    ['notes of 5001 characters', { ...VALID, notes: 'n'.repeat(5001) }, false, ['input.notes']],
    // Tags.
    [`${MAX_TAGS} tags`, { ...VALID, tags: Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`) }, false, []],
    [
      `${MAX_TAGS + 1} tags`,
      { ...VALID, tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) },
      false,
      ['input.tags'],
    ],
    ['a tag of 40 characters', { ...VALID, tags: ['t'.repeat(40)] }, false, []],
    ['a tag of 41 characters', { ...VALID, tags: ['t'.repeat(41)] }, false, ['input.tags']],
    ['tags of letters, digits, _, - and : (any script)', { ...VALID, tags: ['vip', 'a_b-c:1', '고객'] }, false, []],
    ['a tag with a space', { ...VALID, tags: ['ok', 'two words'] }, false, ['input.tags']],
    ['an empty tag', { ...VALID, tags: [''] }, false, ['input.tags']],
    // Preferences.
    ['language "en"', { ...VALID, preferences: { language: 'en' } }, false, []],
    ['language "ko-KR"', { ...VALID, preferences: { language: 'ko-KR' } }, false, []],
    ['language "zh-Hant-TW"', { ...VALID, preferences: { language: 'zh-Hant-TW' } }, false, []],
    ['language "english"', { ...VALID, preferences: { language: 'english' } }, false, ['input.preferences.language']],
    ['language "EN"', { ...VALID, preferences: { language: 'EN' } }, false, ['input.preferences.language']],
    ['language "en-"', { ...VALID, preferences: { language: 'en-' } }, false, ['input.preferences.language']],
    ['language "x en"', { ...VALID, preferences: { language: 'x en' } }, false, ['input.preferences.language']],
    ['language "en-K"', { ...VALID, preferences: { language: 'en-K' } }, false, ['input.preferences.language']],
    // A primary subtag of 2 or 3 letters, further subtags of 2 to 8 letters or digits.
    ['language "e"', { ...VALID, preferences: { language: 'e' } }, false, ['input.preferences.language']],
    ['language "fil"', { ...VALID, preferences: { language: 'fil' } }, false, []],
    ['language "filo"', { ...VALID, preferences: { language: 'filo' } }, false, ['input.preferences.language']],
    ['language "de-1901abcd"', { ...VALID, preferences: { language: 'de-1901abcd' } }, false, []],
    [
      'language "de-1901abcde"',
      { ...VALID, preferences: { language: 'de-1901abcde' } },
      false,
      ['input.preferences.language'],
    ],
    ['time zone "Europe/Berlin"', { ...VALID, preferences: { timezone: 'Europe/Berlin' } }, false, []],
    [
      'time zone "Mars/Olympus"',
      { ...VALID, preferences: { timezone: 'Mars/Olympus' } },
      false,
      ['input.preferences.timezone'],
    ],
    ['preferences set to null on create', { ...VALID, preferences: { language: null, timezone: null } }, false, []],
    [
      'every preference cleared on update',
      {
        preferences: {
          language: null,
          currency: null,
          timezone: null,
          preferredChannel: null,
          paperless: null,
          autoRenewal: null,
        },
      },
      true,
      [
        'input.preferences.language',
        'input.preferences.currency',
        'input.preferences.timezone',
        'input.preferences.preferredChannel',
        'input.preferences.paperless',
        'input.preferences.autoRenewal',
      ],
    ],
    ['preferences changed on update', { preferences: { paperless: false, language: 'de' } }, true, []],
  ])('%s', (_name, fields, partial, fields_with_issues) => {
    expect(issuesOf(fields, partial).map((issue) => issue.split(':')[0].replace('VALIDATION ', ''))).toEqual(
      fields_with_issues,
    );
  });

  it('accepts a customer born today when checked at midnight UTC, the first instant of that day', () => {
    const v = new Validator();
    validateCustomer(v, { ...VALID, birthDate: '2025-07-01' }, false, new Date('2025-07-01T00:00:00.000Z'));
    expect(() => v.throwIfInvalid()).not.toThrow();
  });

  it('says what is wrong, in the messages of the API', () => {
    expect(
      issuesOf({
        ...VALID,
        phone: '123',
        birthDate: '2030-01-01',
        annualIncome: new Decimal('-1.234'),
        dependants: 99,
        occupation: 'o'.repeat(101),
        notes: 'n'.repeat(5001),
        tags: Array.from({ length: MAX_TAGS + 1 }, () => 'bad tag'),
        preferences: { language: 'english', timezone: 'Nowhere/Land' },
      }),
    ).toEqual([
      'VALIDATION input.phone: Phone must be in E.164 form, e.g. +14155550123',
      'VALIDATION input.birthDate: Birth date is in the future',
      'VALIDATION input.annualIncome: Annual income must be between 0 and 1,000,000,000,000',
      'VALIDATION input.annualIncome: Annual income has more than 2 decimal places',
      'VALIDATION input.dependants: Dependants must be between 0 and 50',
      'VALIDATION input.occupation: Occupation is longer than 100 characters',
      'VALIDATION input.notes: Notes are longer than 5000 characters',
      `VALIDATION input.tags: At most ${MAX_TAGS} tags`,
      'VALIDATION input.tags: Tags are single words of up to 40 letters, digits, "_", "-" or ":"',
      'VALIDATION input.preferences.language: Language must be a BCP 47 tag such as "en" or "ko-KR"',
      'VALIDATION input.preferences.timezone: Time zone must be an IANA zone such as "Europe/Berlin"',
    ]);
    expect(
      issuesOf({
        ...VALID,
        debts: new Decimal('-1.234'),
        mortgageBalance: new Decimal('1000000000000'),
        educationCosts: new Decimal('0.001'),
      }),
    ).toEqual([
      'VALIDATION input.debts: Debts must be between 0 and 1,000,000,000,000',
      'VALIDATION input.debts: Debts has more than 2 decimal places',
      'VALIDATION input.mortgageBalance: Mortgage balance must be between 0 and 1,000,000,000,000',
      'VALIDATION input.educationCosts: Education costs has more than 2 decimal places',
    ]);
    expect(issuesOf({ ...VALID, birthDate: '1800-01-01' })).toEqual([
      'VALIDATION input.birthDate: Birth date is more than 130 years ago',
    ]);
    expect(issuesOf({ preferences: { currency: null } }, true)).toEqual([
      'VALIDATION input.preferences.currency: currency cannot be cleared',
    ]);
  });
});
