// The privacy rules of docs/privacy.md as pure functions: what a consent change does, which
// notifications a restricted customer still gets, what anonymised data looks like.
import type { ConsentKind, NotificationType } from '../../generated/prisma/enums';
import type { Issue } from '../../shared/domain-error';

/** The two consent flags of a customer. */
export interface ConsentState {
  dataProcessing: boolean;
  marketing: boolean;
}

export interface ConsentRequest {
  dataProcessing?: boolean | null;
  marketing?: boolean | null;
  source?: string | null;
  reason?: string | null;
}

export interface ConsentOutcome {
  next: ConsentState;
  /** The flags that change, in the order they are recorded (data processing first). */
  changes: { kind: ConsentKind; from: boolean; to: boolean }[];
  issues: Issue[];
}

export const MAX_SOURCE_LENGTH = 100;
export const MAX_REASON_LENGTH = 500;

/** Checks the text of a privacy operation's reason (required) at `field`. */
export function reasonIssues(reason: string | null | undefined, field: string[]): Issue[] {
  const text = reason?.trim() ?? '';
  if (text.length === 0) return [{ code: 'VALIDATION', field, message: 'A reason is required' }];
  if (text.length > MAX_REASON_LENGTH)
    return [{ code: 'VALIDATION', field, message: `The reason is longer than ${MAX_REASON_LENGTH} characters` }];
  return [];
}

/** What is wrong with a consent change request itself, whatever the customer's consents are. */
export function consentRequestIssues(request: ConsentRequest): Issue[] {
  const issues: Issue[] = [];
  if (request.dataProcessing == null && request.marketing == null)
    issues.push({ code: 'VALIDATION', field: ['input'], message: 'Give dataProcessing, marketing or both' });
  const source = request.source?.trim() ?? '';
  if (source.length === 0 || source.length > MAX_SOURCE_LENGTH)
    issues.push({
      code: 'VALIDATION',
      field: ['input', 'source'],
      message: `The source (where the customer said so, e.g. "phone call") is required, up to ${MAX_SOURCE_LENGTH} characters`,
    });
  issues.push(...reasonIssues(request.reason, ['input', 'reason']));
  return issues;
}

/**
 * What a consent change does to the flags. Withdrawing data processing withdraws marketing too
 * (marketing is a use of the data); marketing cannot be given without data processing. A flag
 * sent with its current value changes nothing and is not recorded.
 */
export function consentOutcome(current: ConsentState, request: ConsentRequest): ConsentOutcome {
  const issues: Issue[] = [];
  const dataProcessing = request.dataProcessing ?? current.dataProcessing;
  let marketing = request.marketing ?? current.marketing;
  if (!dataProcessing && request.marketing === true)
    issues.push({
      code: 'CONSENT_REQUIRED',
      field: ['input', 'marketing'],
      message: 'Marketing consent needs consent to data processing',
    });
  if (!dataProcessing) marketing = false;

  const next = { dataProcessing, marketing };
  const changes: ConsentOutcome['changes'] = [];
  if (next.dataProcessing !== current.dataProcessing)
    changes.push({ kind: 'DATA_PROCESSING', from: current.dataProcessing, to: next.dataProcessing });
  if (next.marketing !== current.marketing)
    changes.push({ kind: 'MARKETING', from: current.marketing, to: next.marketing });
  return { next, changes, issues };
}

/**
 * Notifications a customer who withdrew consent to data processing still gets: those the
 * contract or the law requires (a cancelled policy, a claim decision, a renewal notice).
 */
export const LEGALLY_REQUIRED_NOTIFICATIONS: readonly NotificationType[] = [
  'POLICY_CANCELLED',
  'CLAIM_STATUS_CHANGED',
  'RENEWAL_REMINDER',
];

/** Whether a notification of `type` may be queued for a customer with these consents. */
export function notificationAllowed(type: NotificationType, consent: Pick<ConsentState, 'dataProcessing'>): boolean {
  return consent.dataProcessing || LEGALLY_REQUIRED_NOTIFICATIONS.includes(type);
}

/** Placeholder of free text and names that anonymisation replaces. */
export const ANONYMISED = 'Anonymised';

/**
 * The non-identifying e-mail of an anonymised customer: random (so not derived from anything
 * about them, not even their id) and on a reserved domain (.invalid never delivers).
 */
export const anonymisedEmail = (random: string) => `anonymised-${random}@anonymised.invalid`;
