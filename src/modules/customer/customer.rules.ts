// Pure checks of customer input: what a valid customer looks like, independent of storage.
import type { ContactChannel, CustomerType, Gender } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { Validator } from '../../shared/domain-error';

export interface CustomerFields {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  birthDate?: string | null;
  gender?: Gender | null;
  occupation?: string | null;
  annualIncome?: Decimal | null;
  dependants?: number | null;
  debts?: Decimal | null;
  mortgageBalance?: Decimal | null;
  educationCosts?: Decimal | null;
  type?: CustomerType | null;
  tags?: string[] | null;
  notes?: string | null;
  preferences?: {
    language?: string | null;
    currency?: string | null;
    timezone?: string | null;
    preferredChannel?: ContactChannel | null;
    paperless?: boolean | null;
    autoRenewal?: boolean | null;
  } | null;
}

export const MAX_TAGS = 30;
const MAX_INCOME = 1e12;

const trim = (value: string | null | undefined) => (value == null ? value : value.trim());

/** Trims names, lower-cases the e-mail, de-duplicates tags. undefined stays undefined (unchanged). */
export function normaliseCustomer<T extends CustomerFields>(input: T): T {
  return {
    ...input,
    firstName: trim(input.firstName),
    lastName: trim(input.lastName),
    email: input.email == null ? input.email : input.email.trim().toLowerCase(),
    phone: input.phone == null ? input.phone : input.phone.replace(/[\s().-]/g, ''),
    occupation: trim(input.occupation) || (input.occupation === undefined ? undefined : null),
    tags: input.tags == null ? input.tags : [...new Set(input.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))],
  };
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Collects every problem of the input. With `partial` (updates), omitted fields are fine but
 * required ones may not be set to null.
 */
export function validateCustomer(v: Validator, c: CustomerFields, partial: boolean, today = new Date()): void {
  // Required text: on create it must be there; on update it may be omitted but not emptied.
  const requiredText = (value: string | null | undefined, max: number) =>
    (partial && value === undefined) || (typeof value === 'string' && value.length > 0 && value.length <= max);
  v.check(requiredText(c.firstName, 100), ['input', 'firstName'], 'First name is required (1–100 characters)');
  v.check(requiredText(c.lastName, 100), ['input', 'lastName'], 'Last name is required (1–100 characters)');
  v.check(requiredText(c.email, 254), ['input', 'email'], 'E-mail is required (up to 254 characters)');
  v.check(
    c.phone == null || /^\+[1-9]\d{6,14}$/.test(c.phone),
    ['input', 'phone'],
    'Phone must be in E.164 form, e.g. +14155550123',
  );
  if (c.birthDate) {
    const birth = new Date(`${c.birthDate}T00:00:00Z`);
    v.check(birth.getTime() <= today.getTime(), ['input', 'birthDate'], 'Birth date is in the future');
    v.check(
      today.getUTCFullYear() - birth.getUTCFullYear() <= 130,
      ['input', 'birthDate'],
      'Birth date is more than 130 years ago',
    );
  }
  if (c.annualIncome != null) {
    v.check(
      c.annualIncome.gte(0) && c.annualIncome.lt(MAX_INCOME),
      ['input', 'annualIncome'],
      'Annual income must be between 0 and 1,000,000,000,000',
    );
    v.check(
      c.annualIncome.decimalPlaces() <= 2,
      ['input', 'annualIncome'],
      'Annual income has more than 2 decimal places',
    );
  }
  v.check(c.dependants == null || c.dependants <= 50, ['input', 'dependants'], 'Dependants must be between 0 and 50');
  // The DIME inputs of the life-cover needs estimate (coverage analysis): amounts like income.
  for (const [field, label] of [
    ['debts', 'Debts'],
    ['mortgageBalance', 'Mortgage balance'],
    ['educationCosts', 'Education costs'],
  ] as const) {
    const amount = c[field];
    if (amount == null) continue;
    v.check(
      amount.gte(0) && amount.lt(MAX_INCOME),
      ['input', field],
      `${label} must be between 0 and 1,000,000,000,000`,
    );
    v.check(amount.decimalPlaces() <= 2, ['input', field], `${label} has more than 2 decimal places`);
  }
  v.check((c.occupation?.length ?? 0) <= 100, ['input', 'occupation'], 'Occupation is longer than 100 characters');
  v.check((c.notes?.length ?? 0) <= 5000, ['input', 'notes'], 'Notes are longer than 5000 characters');
  if (c.tags) {
    v.check(c.tags.length <= MAX_TAGS, ['input', 'tags'], `At most ${MAX_TAGS} tags`);
    v.check(
      c.tags.every((t) => t.length <= 40 && /^[\p{L}\p{N}_:-]+$/u.test(t)),
      ['input', 'tags'],
      'Tags are single words of up to 40 letters, digits, "_", "-" or ":"',
    );
  }
  const p = c.preferences;
  if (p) {
    v.check(
      p.language == null || /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(p.language),
      ['input', 'preferences', 'language'],
      'Language must be a BCP 47 tag such as "en" or "ko-KR"',
    );
    v.check(
      p.timezone == null || validTimezone(p.timezone),
      ['input', 'preferences', 'timezone'],
      'Time zone must be an IANA zone such as "Europe/Berlin"',
    );
    if (partial) {
      for (const key of ['language', 'currency', 'timezone', 'preferredChannel', 'paperless', 'autoRenewal'] as const) {
        v.check(p[key] !== null, ['input', 'preferences', key], `${key} cannot be cleared`);
      }
    }
  }
}
