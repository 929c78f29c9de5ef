// The set-based statements behind erasure, anonymisation and withdrawal of consent: each touches
// every table that holds something about the customer, in the caller's transaction.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client';
import { ANONYMISED, anonymisedEmail } from './privacy.rules';

/**
 * After an erasure (the customer row and, by cascade, everything it owns are gone): what is left
 * elsewhere loses the person. Notifications addressed to staff that named the customer keep only
 * that something happened; audit entries about the customer keep action, time, actor and changed
 * fields, but no longer say which customer or entity, nor the free-text reason.
 */
export async function scrubErasedCustomer(tx: Tx, customerId: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH staff_notifications AS (
       UPDATE notifications SET payload = jsonb_build_object('type', type::text, 'erased', true)
       WHERE customer_id IS NULL AND payload->>'customerId' = $1::text RETURNING id)
     UPDATE audit_log SET entity_id = NULL, customer_id = NULL, reason = NULL
     WHERE customer_id = $1::uuid OR (entity_type = 'Customer' AND entity_id = $1::text)`,
    customerId,
  );
}

/**
 * The customer leaves every segment (recorded as LEFT, counts kept right) and loses the analytics
 * snapshot: what withdrawing consent to data processing and anonymisation both do.
 */
export async function stopProcessing(tx: Tx, customerId: string, at: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH leavers AS (DELETE FROM segment_memberships WHERE customer_id = $1::uuid RETURNING segment_id),
     history AS (
       INSERT INTO segment_membership_changes (segment_id, customer_id, change, at)
       SELECT segment_id, $1::uuid, 'LEFT'::"SegmentChangeKind", $2::timestamptz FROM leavers),
     counts AS (
       UPDATE segments s SET member_count = greatest(s.member_count - 1, 0) WHERE s.id IN (SELECT segment_id FROM leavers))
     DELETE FROM customer_analytics WHERE customer_id = $1::uuid`,
    customerId,
    at.toISOString(),
  );
}

/**
 * Replaces the personal data the customer's own rows hold, in ONE statement (data-modifying CTEs
 * all run, on one snapshot): street lines, free text (comments, notes, reasons, claim
 * descriptions), policy attributes (insured persons, vehicles), event data and devices,
 * notification payloads. Figures stay: totals, points, premiums, amounts, dates, statuses.
 * The customer row itself is written by the caller (with its audit entry).
 */
export async function anonymiseOwnedRows(tx: Tx, customerId: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH
     addresses_done AS (
       UPDATE addresses SET label = NULL, line1 = $2, line2 = NULL, postal_code = NULL, latitude = NULL, longitude = NULL
       WHERE customer_id = $1::uuid RETURNING id),
     feedback_done AS (UPDATE feedback SET comment = NULL WHERE customer_id = $1::uuid AND comment IS NOT NULL RETURNING id),
     owned_policies AS (
       UPDATE policies SET attributes = '{}'::jsonb, cancellation_reason = CASE WHEN cancellation_reason IS NULL THEN NULL ELSE $2 END
       WHERE customer_id = $1::uuid RETURNING id),
     claims_done AS (
       UPDATE claims SET description = NULL, status_note = NULL
       WHERE policy_id IN (SELECT id FROM owned_policies) RETURNING id),
     premiums_done AS (UPDATE policy_premium_changes SET reason = $2 WHERE policy_id IN (SELECT id FROM owned_policies) RETURNING id),
     owned_account AS (SELECT id FROM loyalty_accounts WHERE customer_id = $1::uuid),
     ledger_done AS (
       UPDATE loyalty_ledger SET reason = NULL, idempotency_key = NULL
       WHERE account_id IN (SELECT id FROM owned_account) AND (reason IS NOT NULL OR idempotency_key IS NOT NULL) RETURNING id),
     tiers_done AS (UPDATE loyalty_tier_changes SET reason = NULL WHERE account_id IN (SELECT id FROM owned_account) AND reason IS NOT NULL RETURNING id),
     events_done AS (
       UPDATE customer_events SET data = NULL, device = NULL, session_id = NULL, event_id = NULL
       WHERE customer_id = $1::uuid RETURNING id),
     -- Through the events (the keys have no customer_id index; migration
     -- 20261126123500_event_keys_deleted_through_events): every statement here sees the event ids
     -- as they were before events_done clears them.
     event_keys_done AS (
       DELETE FROM customer_event_keys k USING customer_events e
       WHERE e.customer_id = $1::uuid AND e.event_id IS NOT NULL AND k.event_id = e.event_id RETURNING k.event_id),
     consents_done AS (UPDATE consent_changes SET reason = NULL WHERE customer_id = $1::uuid AND reason IS NOT NULL RETURNING id),
     notifications_done AS (
       UPDATE notifications SET payload = jsonb_build_object('type', type::text, 'anonymised', true)
       WHERE customer_id = $1::uuid OR (customer_id IS NULL AND payload->>'customerId' = $1::text) RETURNING id)
     UPDATE audit_log SET reason = NULL WHERE customer_id = $1::uuid AND reason IS NOT NULL`,
    customerId,
    ANONYMISED,
  );
}

/** The customer row's personal columns, anonymised (Prisma keys of the customers table). */
export function anonymisedCustomerColumns(now: Date) {
  return {
    firstName: ANONYMISED,
    lastName: ANONYMISED,
    email: anonymisedEmail(randomUUID()),
    phone: null,
    birthDate: null,
    gender: 'UNDISCLOSED' as const,
    occupation: null,
    annualIncome: null,
    dependants: null,
    debts: null,
    mortgageBalance: null,
    educationCosts: null,
    tags: [] as string[],
    notes: null,
    lastContactAt: null,
    dataProcessingConsentAt: null,
    marketingConsent: false,
    marketingConsentAt: null,
    status: 'DELETED' as const,
    anonymizedAt: now,
  };
}
