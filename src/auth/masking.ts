// The one field-level policy for personal data (docs/security.md, "Personal data"). The table
// below drives: output masking of every GraphQL field listed (src/graphql/masking.ts wraps
// exactly these fields), the sort/filter guards (assertVisibleTo) and what customer search may
// match; cursors only ever hold sort values, so they follow the sort guard. Free of GraphQL so
// that any read path (DataLoaders, single-statement SQL, exports) can call it.
import type { StaffRole } from '../generated/prisma/enums';
import { maskPayload } from '../modules/notification/notification.rules';
import { maskAttributes } from '../modules/policy/policy.attributes';
import { DomainError } from '../shared/domain-error';

/** j***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** +1******0123: country prefix and the last four digits stay. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  const prefix = phone.startsWith('+') ? phone.slice(0, 2) : phone.slice(0, 1);
  return prefix + '*'.repeat(phone.length - prefix.length - 4) + phone.slice(-4);
}

/** One decimal of a degree (about 11 km): a region, not a house. */
export const coarsenCoordinate = (value: number | null) => (value == null ? null : Math.round(Number(value) * 10) / 10);

/** Amounts derived from income, rounded to 2 significant digits: a bracket, not the figure. */
export function coarsenAmount(value: unknown): unknown {
  if (value == null) return value;
  const n = Number(String(value));
  if (!Number.isFinite(n) || n === 0) return value;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(n))) - 1);
  return (Math.round(n / magnitude) * magnitude).toFixed(0);
}

/** Text that may quote personal figures: every number in it is replaced. */
export const redactNumbers = (text: unknown) =>
  typeof text === 'string' ? text.replace(/\d[\d,.' ]*\d|\d/g, '•••') : text;

const hide = () => null;

export interface PersonalField {
  /** What the caller gets instead of the value (must fit the field's GraphQL type). */
  mask: (value: any, parent: any) => unknown;
  /** Why the field is personal data (shown in docs/security.md). */
  why: string;
}

/** GraphQL type → field → how it is masked. Everything listed is personal data. */
export const PERSONAL_FIELDS: Record<string, Record<string, PersonalField>> = {
  Customer: {
    email: { mask: (v: string) => maskEmail(v), why: 'contact detail, identifies the person' },
    phone: { mask: (v: string | null) => (v ? maskPhone(v) : v), why: 'contact detail, identifies the person' },
    birthDate: { mask: hide, why: 'with the name it identifies the person (age stays visible)' },
    notes: { mask: hide, why: 'free text about the person' },
    annualIncome: { mask: hide, why: 'financial situation' },
    debts: { mask: hide, why: 'financial situation' },
    mortgageBalance: { mask: hide, why: 'financial situation' },
    educationCosts: { mask: hide, why: 'financial situation' },
  },
  Address: {
    line1: { mask: hide, why: 'street address' },
    line2: { mask: hide, why: 'street address' },
    postalCode: { mask: hide, why: 'narrows an address to a few houses' },
    latitude: { mask: coarsenCoordinate, why: 'exact position of a home' },
    longitude: { mask: coarsenCoordinate, why: 'exact position of a home' },
  },
  Feedback: { comment: { mask: hide, why: 'free text by the customer' } },
  Claim: {
    description: { mask: hide, why: 'free text about an incident (health, accidents)' },
    statusNote: { mask: hide, why: 'free text about the claim' },
  },
  Policy: {
    attributes: {
      mask: (v, policy: { type: Parameters<typeof maskAttributes>[0] }) => maskAttributes(policy.type, v),
      why: 'insured persons, vehicles, addresses',
    },
    cancellationReason: { mask: hide, why: 'free text about the customer' },
  },
  PolicyPremiumChange: { reason: { mask: () => '(masked)', why: 'free text about the customer' } },
  LedgerEntry: { reason: { mask: hide, why: 'free text about the customer' } },
  ConsentChange: { reason: { mask: hide, why: 'free text about the customer' } },
  LoyaltyTierChange: { reason: { mask: hide, why: 'free text about the customer' } },
  LifeCoverNeed: {
    amount: { mask: coarsenAmount, why: 'a multiple of the income' },
    basis: { mask: redactNumbers, why: 'quotes the income' },
  },
  Notification: {
    payload: { mask: maskPayload, why: 'customer, order, policy and claim numbers, free-text reasons' },
    lastError: { mask: hide, why: 'a provider error may quote the address' },
  },
  CoverageGap: {
    explanation: { mask: redactNumbers, why: 'may quote income and amounts derived from it' },
    suggestedAmount: { mask: coarsenAmount, why: 'derived from the income' },
  },
};

/** Roles that see personal data masked (SPEC §2). */
const MASKED_ROLES: ReadonlySet<StaffRole> = new Set(['ANALYST']);

export const masksPersonalDataFor = (role: StaffRole | null | undefined) => role != null && MASKED_ROLES.has(role);

/** Whether `role` sees `type.field` masked. */
export function isMaskedFor(role: StaffRole | null | undefined, type: string, field: string): boolean {
  return masksPersonalDataFor(role) && PERSONAL_FIELDS[type]?.[field] !== undefined;
}

/** The value of `type.field` as `role` may see it. */
export function maskFor(
  role: StaffRole | null | undefined,
  type: string,
  field: string,
  value: unknown,
  parent: unknown,
): unknown {
  const rule = masksPersonalDataFor(role) ? PERSONAL_FIELDS[type]?.[field] : undefined;
  return rule ? rule.mask(value, parent) : value;
}

/**
 * Sorting, filtering or paging by a field the caller sees masked would disclose it (order and
 * cursors reveal values): FORBIDDEN, naming the input field.
 */
export function assertVisibleTo(
  role: StaffRole | null | undefined,
  type: string,
  field: string,
  inputPath: string[],
): void {
  if (isMaskedFor(role, type, field)) {
    throw new DomainError(
      'FORBIDDEN',
      `${type}.${field} is personal data masked for your role; you cannot sort, filter or search by it`,
      inputPath,
    );
  }
}
