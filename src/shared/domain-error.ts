// Expected failures raised by services. They carry a machine code and the input field path and
// are turned into `userErrors` at one place (src/graphql/payload.ts); services never see GraphQL.

export const USER_ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'DUPLICATE',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'INSUFFICIENT_POINTS',
  'WINDOW_CLOSED',
  'IDEMPOTENCY_CONFLICT',
  'LIMIT_EXCEEDED',
  'FORBIDDEN',
  'OUT_OF_STOCK',
  'INVALID_CREDENTIALS',
  // The customer withdrew consent to data processing (docs/privacy.md).
  'CONSENT_REQUIRED',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface Issue {
  code: UserErrorCode;
  /** Path of the offending input field, e.g. ['input', 'addresses', '0', 'country']. */
  field: string[] | null;
  message: string;
}

export class DomainError extends Error {
  readonly issues: Issue[];

  constructor(code: UserErrorCode, message: string, field?: string[] | null);
  constructor(issues: Issue[]);
  constructor(codeOrIssues: UserErrorCode | Issue[], message?: string, field?: string[] | null) {
    const issues = Array.isArray(codeOrIssues)
      ? codeOrIssues
      : [{ code: codeOrIssues, message: message ?? codeOrIssues, field: field ?? null }];
    super(issues.map((i) => i.message).join('; '));
    this.name = 'DomainError';
    this.issues = issues;
  }
}

export const notFound = (what: string, field: string[] | null = ['id']) =>
  new DomainError('NOT_FOUND', `${what} not found`, field);

/** Collects validation issues and throws them together, so a user sees every problem at once. */
export class Validator {
  private readonly issues: Issue[] = [];

  check(condition: boolean, field: string[], message: string, code: UserErrorCode = 'VALIDATION'): this {
    if (!condition) this.issues.push({ code, field, message });
    return this;
  }

  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new DomainError(this.issues);
  }
}
