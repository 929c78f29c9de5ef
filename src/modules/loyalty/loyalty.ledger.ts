// The points ledger: every change of points, inside the caller's transaction.
//
// Correctness comes from the database, never from the process (many instances run at once):
// - every change first locks the account row (SELECT … FOR UPDATE); the CHECK constraint
//   points_balance >= 0 backs the balance check up;
// - EARN and positive ADJUST entries are "lots" (remaining, expiresAt = createdAt + 12 months);
//   REDEEM and negative ADJUST consume the oldest unexpired lots first (FIFO by expiresAt,
//   createdAt, id) after expiring the account's due lots, so expired points are never spent;
// - the unique index on loyalty_ledger.idempotency_key is the source of truth for idempotency:
//   the key is checked after the account lock (a retry of the same request returns the first
//   entry), and the insert uses ON CONFLICT DO NOTHING so that a race with another account using
//   the same key waits for it and then answers IDEMPOTENCY_CONFLICT instead of aborting.
// Invariants: balance == sum(ledger points) == sum(remaining of all lots); balanceAfter of each
// entry is the balance right after it; lifetimePoints == sum(EARN points). Entries of an account
// are dated strictly increasingly (max(clock, previous entry + 1 ms)), so (createdAt, id) order
// is exactly the order in which they were applied, even within one millisecond.
import { auditRoleOf, type Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';
import { allKeys, decodeJsonRow, decodeRow, jsonRow, Params, selectList } from '../../db/table-shape';
import { sqlOf, type SqlTx } from '../../db/transaction';
import { Prisma, type LedgerEntry, type LoyaltyAccount } from '../../generated/prisma/client';
import type { LedgerEntryType, LoyaltyTier, LoyaltyTierChangeKind } from '../../generated/prisma/enums';
import { DomainError } from '../../shared/domain-error';
import { AUDIT_COLUMNS, auditValuesSql, type AuditRecord } from '../audit/audit';
import { lockCustomer, visibleCustomer } from '../customer/customer.lock';
import { notificationInsertSql } from '../notification/outbox';
import { LEDGER_ENTRY_TABLE, LOYALTY_ACCOUNT_TABLE } from './loyalty.table';
import { expiryOf, MAX_POINTS_PER_OPERATION, tierRank, upgradeFor } from './loyalty.tiers';

export type { LedgerEntry };

/** The account row as locked for the rest of the transaction. */
export interface LockedAccount {
  id: string;
  customerId: string;
  tier: LoyaltyTier;
  pointsBalance: number;
  lifetimePoints: number;
}

/** Who made a change: a full actor from an API request, or only an id from another module. */
export type ActorRef = Actor | { id: string | null; role?: null } | null | undefined;

export interface PointsChange {
  type: LedgerEntryType;
  /** Signed: EARN > 0, REDEEM < 0, ADJUST either way (EXPIRE is written by the expiry only). */
  points: number;
  reason: string | null;
  orderId?: string | null;
  idempotencyKey?: string | null;
  /** Set for reward redemptions: part of what makes a replay "the same request". */
  rewardId?: string | null;
  actor?: ActorRef;
  now?: Date;
}

const actorIdOf = (actor: ActorRef) => actor?.id ?? null;

/**
 * Locks the loyalty account of `customerId` (SELECT … FOR UPDATE) and returns it; NOT_FOUND when
 * the customer has none. Visibility of the customer is the caller's concern (lockCustomer).
 */
export async function lockAccount(
  tx: Tx | SqlTx,
  customerId: string,
  field: string[] = ['customerId'],
): Promise<LockedAccount> {
  const rows = await sqlOf(tx).query<{
    id: string;
    customer_id: string;
    tier: LoyaltyTier;
    points_balance: number;
    lifetime_points: number;
  }>(
    'SELECT id, customer_id, tier, points_balance, lifetime_points FROM loyalty_accounts WHERE customer_id = $1::uuid FOR UPDATE',
    [customerId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'Loyalty account not found', field);
  return lockedAccountOf({
    id: row.id,
    customerId: row.customer_id,
    tier: row.tier,
    pointsBalance: row.points_balance,
    lifetimePoints: row.lifetime_points,
  });
}

const lockedAccountOf = (row: LockedAccount): LockedAccount => ({
  id: row.id,
  customerId: row.customerId,
  tier: row.tier,
  pointsBalance: Number(row.pointsBalance),
  lifetimePoints: Number(row.lifetimePoints),
});

const ACCOUNT_ROW = jsonRow(LOYALTY_ACCOUNT_TABLE, 'a');

/**
 * Locks the customer (visibility: another agent's customer is NOT_FOUND) and then its loyalty
 * account, in one statement (the rows are locked in that order, as lockCustomer then lockAccount
 * would); returns the account, also as the full row. Without an account, or without a visible
 * customer, the two locks are taken one by one for their precise error.
 */
export async function lockCustomerAccount(
  tx: Tx | SqlTx,
  actor: Actor,
  customerId: string,
  field: string[] = ['customerId'],
): Promise<{ account: LockedAccount; row: LoyaltyAccount }> {
  const [found] = await sqlOf(tx).query<{ owner_id: string | null; account: unknown[] }>(
    `SELECT c.owner_id, ${ACCOUNT_ROW} AS account FROM customers c JOIN loyalty_accounts a ON a.customer_id = c.id
     WHERE c.id = $1::uuid FOR UPDATE OF c, a`,
    [customerId],
  );
  if (!found) {
    await lockCustomer(tx, actor, customerId, field);
    const account = await lockAccount(tx, customerId, field); // NOT_FOUND, unless created meanwhile
    const [created] = await sqlOf(tx).query<{ account: unknown[] }>(
      `SELECT ${ACCOUNT_ROW} AS account FROM loyalty_accounts a WHERE a.id = $1::uuid`,
      [account.id],
    );
    return { account, row: decodeJsonRow(LOYALTY_ACCOUNT_TABLE, created.account) };
  }
  visibleCustomer(actor, { ownerId: found.owner_id }, field);
  const row = decodeJsonRow(LOYALTY_ACCOUNT_TABLE, found.account);
  return { account: lockedAccountOf(row), row };
}

/** Integer points within 1..1,000,000 (absolute value when `signed`), else VALIDATION. */
export function checkPoints(points: number, field: string[] = ['input', 'points'], signed = false): void {
  const magnitude = signed ? Math.abs(points) : points;
  if (!Number.isInteger(points) || magnitude < 1 || magnitude > MAX_POINTS_PER_OPERATION) {
    const range = signed
      ? `a non-zero integer between -${MAX_POINTS_PER_OPERATION} and ${MAX_POINTS_PER_OPERATION}`
      : `an integer between 1 and ${MAX_POINTS_PER_OPERATION}`;
    throw new DomainError('VALIDATION', `points must be ${range}`, field);
  }
}

export const MAX_REASON_LENGTH = 500;

/** A trimmed, non-blank reason of at most 500 characters, else VALIDATION. */
export function checkReason(reason: string | null | undefined, field: string[] = ['input', 'reason']): string {
  const trimmed = reason?.trim() ?? '';
  if (trimmed.length === 0 || trimmed.length > MAX_REASON_LENGTH)
    throw new DomainError('VALIDATION', `reason is required (1 to ${MAX_REASON_LENGTH} characters)`, field);
  return trimmed;
}

export function checkIdempotencyKey(
  key: string | null | undefined,
  field: string[] = ['input', 'idempotencyKey'],
): void {
  if (key == null) return;
  if (key.trim().length === 0 || key.length > 200)
    throw new DomainError('VALIDATION', 'idempotencyKey must be 1 to 200 characters', field);
}

/**
 * True when the stored entry was written by the same request as `change` on `accountId`. A reward
 * redemption is the same request when it is for the same reward (its cost may have changed since).
 */
function sameRequest(
  entry: LedgerEntry & { redemption: { rewardId: string } | null },
  accountId: string,
  change: PointsChange,
): boolean {
  if (entry.accountId !== accountId || entry.type !== change.type) return false;
  if (change.rewardId || entry.redemption) return entry.redemption?.rewardId === change.rewardId;
  return (
    entry.points === change.points &&
    (entry.reason ?? null) === (change.reason ?? null) &&
    (entry.orderId ?? null) === (change.orderId ?? null)
  );
}

const ENTRY_ROW = selectList(LEDGER_ENTRY_TABLE, 'e', allKeys(LEDGER_ENTRY_TABLE));

/** The entry stored under the idempotency key `key` (a placeholder), with the reward of its redemption. */
const replaySql = (key: string) =>
  `SELECT ${ENTRY_ROW}, r.reward_id AS "rewardId" FROM loyalty_ledger e
   LEFT JOIN reward_redemptions r ON r.ledger_entry_id = e.id WHERE e.idempotency_key = ${key}`;

/** The stored entry of a replaySql row (none: null) when it is the same request, else IDEMPOTENCY_CONFLICT. */
function replayOf(
  row: Record<string, unknown> | undefined,
  accountId: string,
  change: PointsChange,
): LedgerEntry | null {
  if (row?.id == null) return null;
  const entry = decodeRow(LEDGER_ENTRY_TABLE, row);
  const rewardId = (row.rewardId as string | null) ?? null;
  if (!sameRequest({ ...entry, redemption: rewardId ? { rewardId } : null }, accountId, change))
    throw idempotencyConflict();
  return entry;
}

/**
 * The first result for an idempotency key already used: the stored entry when the request is the
 * same, IDEMPOTENCY_CONFLICT when it differs, null when the key is new. Call it after the
 * account lock, so that a concurrent first attempt on the same account has committed.
 */
export async function findReplay(tx: Tx | SqlTx, accountId: string, change: PointsChange): Promise<LedgerEntry | null> {
  if (!change.idempotencyKey) return null;
  const [row] = await sqlOf(tx).query(replaySql('$1'), [change.idempotencyKey]);
  return replayOf(row, accountId, change);
}

/**
 * What a points change reads after the account lock, in one statement: the replay (findReplay),
 * the date of the account's latest entry (entryDate) and the qualifying points at `change.now`
 * (qualifyingPointsOf), which are those at the new entry's date whenever that date is `now`.
 */
export async function readForChange(
  tx: Tx | SqlTx,
  accountId: string,
  change: PointsChange & { now: Date },
): Promise<{ replay: LedgerEntry | null; last: Date | null; qualifying: number }> {
  const [row] = await sqlOf(tx).query<Record<string, unknown>>(
    `SELECT (SELECT max(created_at) FROM loyalty_ledger WHERE account_id = $1::uuid) AS "lastAt",
            (${qualifyingSql('$1::uuid', '$2::timestamptz')}) AS "qualifyingPoints", replay.*
     FROM (SELECT 1) one LEFT JOIN (${replaySql('$3')}) replay ON true`,
    [accountId, change.now.toISOString(), change.idempotencyKey ?? null],
  );
  return {
    replay: change.idempotencyKey ? replayOf(row, accountId, change) : null,
    last: row.lastAt == null ? null : new Date(row.lastAt as Date | string),
    qualifying: Number(row.qualifyingPoints),
  };
}

const idempotencyConflict = () =>
  new DomainError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a different request', [
    'input',
    'idempotencyKey',
  ]);

/**
 * Expires the due lots (expiresAt <= asOf, remaining > 0) of accounts the caller has ALREADY
 * LOCKED, in one statement: zeroes their remaining, lowers each balance by the sum and writes one
 * EXPIRE entry per account, dated `entryAt` (or 1 ms after the account's latest entry) and carrying
 * `asOf` (the instant the run expired points as of: a catch-up or "time travel" run names it). Returns the
 * points expired, and the entry's date, per account id.
 */
export async function expireLockedAccounts(
  tx: Tx,
  accountIds: string[],
  asOf: Date,
  entryAt: Date,
  actor?: ActorRef,
): Promise<Map<string, { points: number; createdAt: Date }>> {
  if (accountIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ account_id: string; points: number; created_at: Date }[]>`
    WITH due AS (
      SELECT id, remaining FROM loyalty_ledger
      WHERE account_id = ANY(${accountIds}::uuid[]) AND remaining > 0 AND expires_at <= ${asOf}
    ), zeroed AS (
      UPDATE loyalty_ledger l SET remaining = 0 FROM due WHERE l.id = due.id
      RETURNING l.account_id, due.remaining AS expired
    ), sums AS (
      SELECT account_id, sum(expired)::int AS points FROM zeroed GROUP BY account_id
    ), accounts AS (
      UPDATE loyalty_accounts a SET points_balance = a.points_balance - sums.points, updated_at = now()
      FROM sums WHERE a.id = sums.account_id
      RETURNING a.id, a.customer_id, a.points_balance
    ), audit AS (
      INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, changed_fields, customer_id)
      SELECT ${actorIdOf(actor)}::uuid, ${actor?.role ? auditRoleOf(actor as Actor) : null}::text, 'loyalty.points.expire', 'LoyaltyAccount', accounts.id::text, ARRAY['pointsBalance'], accounts.customer_id
      FROM accounts
    )
    INSERT INTO loyalty_ledger (account_id, type, points, reason, balance_after, actor_id, created_at, as_of)
    SELECT accounts.id, 'EXPIRE'::"LedgerEntryType", -sums.points, 'Points expired 12 months after they were earned', accounts.points_balance, ${actorIdOf(actor)}::uuid,
           greatest(${entryAt}::timestamptz, (SELECT max(x.created_at) FROM loyalty_ledger x WHERE x.account_id = accounts.id) + interval '1 millisecond'),
           ${asOf}::timestamptz
    FROM accounts JOIN sums ON sums.account_id = accounts.id
    RETURNING account_id, -points AS points, created_at`;
  return new Map(rows.map((r) => [r.account_id, { points: Number(r.points), createdAt: r.created_at }]));
}

/**
 * SQL condition on an EARN entry `e`: its order was not refunded (clawed back) by `at` (an SQL
 * expression). A refunded order's points stop qualifying for tiers, whatever part of them the
 * balance still covered.
 */
const notClawedBackSql = (at: string) => `NOT EXISTS (
  SELECT 1 FROM loyalty_ledger c
  WHERE c.account_id = e.account_id AND c.type = 'CLAWBACK' AND c.order_id = e.order_id AND c.created_at <= ${at})`;

/** notClawedBackSql for Prisma's tagged statements, as of `asOf`. */
export const notClawedBack = (asOf: Date) => new Prisma.Sql(notClawedBackSql('\0').split('\0'), [asOf]);

/** The qualifying points (qualifyingPointsOf) of account `account` at `at`, both SQL expressions. */
const qualifyingSql = (account: string, at: string) =>
  `SELECT coalesce(sum(e.points), 0)::int AS points FROM loyalty_ledger e
   WHERE e.account_id = ${account} AND e.type = 'EARN' AND e.created_at <= ${at} AND e.expires_at > ${at}
     AND ${notClawedBackSql(at)}`;

/** Points earned (EARN) in the 12 months before `now`, except those of refunded orders: they decide the tier. */
export async function qualifyingPointsOf(tx: Tx | SqlTx, accountId: string, now: Date): Promise<number> {
  const rows = await sqlOf(tx).query<{ points: number }>(qualifyingSql('$1::uuid', '$2::timestamptz'), [
    accountId,
    now.toISOString(),
  ]);
  return Number(rows[0]?.points ?? 0);
}

/**
 * The date of an account's next entry: `now`, or 1 ms after its latest entry (`previous`) when that
 * is later, so that its entries are dated strictly increasingly.
 */
export const entryDate = (now: Date, previous: Date | null | undefined): Date =>
  previous && previous.getTime() >= now.getTime() ? new Date(previous.getTime() + 1) : now;

async function insertEntry(tx: Tx, data: Prisma.LedgerEntryCreateManyInput): Promise<LedgerEntry> {
  // ON CONFLICT DO NOTHING: a concurrent insert of the same key (necessarily on another account,
  // since this one is locked) is waited for instead of aborting our transaction.
  const [created] = await tx.ledgerEntry.createManyAndReturn({ data: [data], skipDuplicates: true });
  if (created) return created;
  throw idempotencyConflict();
}

/**
 * Writes one points change on an account the caller has locked (lockAccount) and whose
 * idempotency key was checked (findReplay). Positive changes add a lot; negative ones expire the
 * due lots, check the balance (INSUFFICIENT_POINTS) and consume lots FIFO. EARN upgrades the tier
 * when the qualifying points cross a threshold (TIER_UPGRADED notification and audit entry).
 * Updates `account` in place to the new state.
 */
export async function applyToLockedAccount(tx: Tx, account: LockedAccount, change: PointsChange): Promise<LedgerEntry> {
  const now = change.now ?? new Date();
  const actorId = actorIdOf(change.actor);
  // Read after the lock: no entry of this account can be written meanwhile.
  const [last] = await tx.$queryRaw<
    { at: Date | null }[]
  >`SELECT max(created_at) AS at FROM loyalty_ledger WHERE account_id = ${account.id}::uuid`;
  if (change.points > 0) return (await addLot(tx, account, change, entryDate(now, last?.at))).entry;

  // Spending: expired points are never spent, so the account's due lots expire first (an EXPIRE
  // entry right before the spending one; rolled back with it when the balance is too small).
  const expired = (await expireLockedAccounts(tx, [account.id], now, entryDate(now, last?.at), change.actor)).get(
    account.id,
  );
  account.pointsBalance -= expired?.points ?? 0;
  const at = entryDate(now, expired?.createdAt ?? last?.at);
  const spend = -change.points;
  if (account.pointsBalance < spend) {
    throw new DomainError(
      'INSUFFICIENT_POINTS',
      `The balance of ${account.pointsBalance} points does not cover ${spend} points`,
      ['input', 'points'],
    );
  }
  const entry = await insertEntry(tx, {
    accountId: account.id,
    type: change.type,
    points: change.points,
    reason: change.reason,
    orderId: change.orderId ?? null,
    idempotencyKey: change.idempotencyKey ?? null,
    balanceAfter: account.pointsBalance - spend,
    actorId,
    createdAt: at,
  });
  await consumeLots(tx, account.id, spend, now);
  await tx.loyaltyAccount.update({ where: { id: account.id }, data: { pointsBalance: { decrement: spend } } });
  account.pointsBalance -= spend;
  return entry;
}

/**
 * Takes `spend` points from the unexpired lots of a LOCKED account, oldest first (FIFO by
 * expiresAt, createdAt, id) — or, with `firstLotId`, from that lot first (a clawback takes back
 * its order's own points before any other). One statement; the balance is the caller's.
 */
export async function consumeLots(
  tx: Tx,
  accountId: string,
  spend: number,
  now: Date,
  firstLotId: string | null = null,
): Promise<void> {
  if (spend === 0) return;
  const first = firstLotId ? Prisma.sql`(id = ${firstLotId}::uuid) DESC,` : Prisma.empty;
  // Each lot gives min(remaining, what is still needed).
  const consumed = await tx.$queryRaw<{ used: number }[]>`
    WITH lots AS (
      SELECT id, remaining, sum(remaining) OVER (ORDER BY ${first} expires_at, created_at, id) AS running
      FROM loyalty_ledger
      WHERE account_id = ${accountId}::uuid AND remaining > 0 AND expires_at > ${now}
    ), take AS (
      SELECT id, least(remaining, ${spend}::int - (running - remaining))::int AS used FROM lots WHERE running - remaining < ${spend}::int
    )
    UPDATE loyalty_ledger l SET remaining = l.remaining - take.used FROM take WHERE l.id = take.id
    RETURNING take.used`;
  const used = consumed.reduce((sum, r) => sum + Number(r.used), 0);
  if (used !== spend)
    throw new Error(`Ledger lots of account ${accountId} cover ${used} of ${spend} points; the ledger is inconsistent`);
}

/**
 * Adds a lot (EARN or positive ADJUST) dated `at` (entryDate) to an account the caller has LOCKED
 * and whose idempotency key was checked, in one statement: the entry, balance and lifetime points,
 * the caller's `audit` entry of the change and, for an EARN given the `qualifying` points at `at`
 * before it (readForChange), the tier upgrade it earns with history, notification and audit entry
 * (recorded before `audit`, as when they were written one by one). An EARN without them checks the
 * upgrade after the write. Returns the entry and the account row as written, and updates `account`.
 */
export async function addLot(
  tx: Tx | SqlTx,
  account: LockedAccount,
  change: PointsChange,
  at: Date,
  options: { qualifying?: number | null; audit?: { actor: Actor; record: AuditRecord } } = {},
): Promise<{ entry: LedgerEntry; row: LoyaltyAccount }> {
  const params = new Params();
  const p = (value: unknown) => params.add(value);
  const earned = change.type === 'EARN' ? change.points : 0;
  // An order's lot qualifies unless the order was clawed back: only a lot without one is counted here.
  const qualifying =
    change.type === 'EARN' && options.qualifying != null && !change.orderId ? options.qualifying + change.points : null;
  const upgraded = qualifying === null ? null : upgradeFor(account.tier, qualifying);
  const id = p(account.id);
  const ctes = [
    `entry AS (
      INSERT INTO loyalty_ledger (account_id, type, points, remaining, expires_at, reason, order_id, idempotency_key, balance_after, actor_id, created_at)
      VALUES (${id}::uuid, ${p(change.type)}::"LedgerEntryType", ${p(change.points)}::int, ${p(change.points)}::int,
              ${p(expiryOf(at).toISOString())}::timestamptz, ${p(change.reason)}, ${p(change.orderId ?? null)}::uuid,
              ${p(change.idempotencyKey ?? null)}, ${p(account.pointsBalance + change.points)}::int,
              ${p(actorIdOf(change.actor))}::uuid, ${p(at.toISOString())}::timestamptz)
      ON CONFLICT DO NOTHING
      RETURNING *)`,
    `a AS (
      UPDATE loyalty_accounts
      SET points_balance = points_balance + ${p(change.points)}::int, lifetime_points = lifetime_points + ${p(earned)}::int,
          ${upgraded ? `tier = ${p(upgraded)}::"LoyaltyTier", ` : ''}updated_at = now()
      WHERE id = ${id}::uuid AND EXISTS (SELECT 1 FROM entry)
      RETURNING *)`,
  ];
  const audits: string[] = [];
  if (upgraded) {
    const recorded = tierChangeSql(
      account,
      tierUpgrade(account.tier, upgraded, qualifying as number, change.actor, at),
      p,
    );
    ctes.push(...recorded.ctes);
    audits.push(recorded.audit);
  }
  if (options.audit) audits.push(auditValuesSql(options.audit.actor, options.audit.record, p));
  if (audits.length > 0) ctes.push(`audit AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${audits.join(', ')})`);
  // ON CONFLICT DO NOTHING: a concurrent insert of the same key (necessarily on another account,
  // since this one is locked) is waited for instead of aborting the transaction; no entry, no row,
  // and the error rolls back whatever else the statement wrote.
  const [row] = await sqlOf(tx).query<Record<string, unknown>>(
    `WITH ${ctes.join(',\n')}
     SELECT ${selectList(LEDGER_ENTRY_TABLE, 'entry', allKeys(LEDGER_ENTRY_TABLE))}, ${jsonRow(LOYALTY_ACCOUNT_TABLE, 'a')} AS account
     FROM entry, a`,
    params.values,
  );
  if (!row) throw idempotencyConflict();
  account.pointsBalance += change.points;
  account.lifetimePoints += earned;
  if (upgraded) account.tier = upgraded;
  const written = decodeJsonRow(LOYALTY_ACCOUNT_TABLE, row.account as unknown[]);
  if (change.type === 'EARN' && qualifying === null) {
    await upgradeTierIfEarned(tx, account, at, change.actor);
    written.tier = account.tier;
  }
  return { entry: decodeRow(LEDGER_ENTRY_TABLE, row), row: written };
}

type TierChange = {
  kind: LoyaltyTierChangeKind;
  from: LoyaltyTier;
  to: LoyaltyTier;
  qualifyingPoints: number | null;
  reason: string | null;
  actor: ActorRef;
  at?: Date;
};

/** The automatic upgrade of an EARN that brought the qualifying points to a higher tier. */
const tierUpgrade = (from: LoyaltyTier, to: LoyaltyTier, qualifyingPoints: number, actor: ActorRef, at: Date) =>
  ({
    kind: 'UPGRADE',
    from,
    to,
    qualifyingPoints,
    reason: 'Qualifying points reached the tier',
    actor,
    at,
  }) satisfies TierChange;

/** Upgrades (never lowers) the tier when the qualifying points at `now` reach a higher one. */
async function upgradeTierIfEarned(tx: Tx | SqlTx, account: LockedAccount, now: Date, actor: ActorRef): Promise<void> {
  const qualifying = await qualifyingPointsOf(tx, account.id, now);
  const upgraded = upgradeFor(account.tier, qualifying);
  if (!upgraded) return;
  const from = account.tier;
  await sqlOf(tx).query(
    'UPDATE loyalty_accounts SET tier = $2::"LoyaltyTier", updated_at = now() WHERE id = $1::uuid',
    [account.id, upgraded],
  );
  account.tier = upgraded;
  await recordTierChange(tx, account, tierUpgrade(from, upgraded, qualifying, actor, now));
}

/**
 * A tier change already applied to the account, as parts of one statement: the history row and,
 * when the tier went up, the TIER_UPGRADED notification (`ctes`), and the audit entry's row of
 * `INSERT INTO audit_log (AUDIT_COLUMNS) VALUES …` (`audit`). The entry names no customer, as
 * these entries always have.
 */
function tierChangeSql(
  account: Pick<LockedAccount, 'id' | 'customerId'>,
  change: TierChange,
  p: (value: unknown) => string,
): { ctes: string[]; audit: string } {
  const ctes = [
    `tier_history AS (
      INSERT INTO loyalty_tier_changes (account_id, kind, from_tier, to_tier, qualifying_points, reason, actor_id, created_at)
      VALUES (${p(account.id)}::uuid, ${p(change.kind)}::"LoyaltyTierChangeKind", ${p(change.from)}::"LoyaltyTier",
              ${p(change.to)}::"LoyaltyTier", ${p(change.qualifyingPoints)}::int, ${p(change.reason)},
              ${p(actorIdOf(change.actor))}::uuid, ${p((change.at ?? new Date()).toISOString())}::timestamptz))`,
  ];
  if (tierRank(change.to) > tierRank(change.from)) {
    const notification = notificationInsertSql(
      {
        type: 'TIER_UPGRADED',
        customerId: account.customerId,
        payload: { from: change.from, to: change.to, qualifyingPoints: change.qualifyingPoints },
      },
      p,
    );
    ctes.push(`tier_notification AS (${notification})`);
  }
  const audit = auditValuesSql(
    change.actor ?? null,
    {
      action: `loyalty.tier.${change.kind.toLowerCase()}`,
      entityType: 'LoyaltyAccount',
      entityId: account.id,
      changedFields: ['tier'],
      reason: change.reason,
      // In the customer's audit trail, as the earn or order that caused it is.
      customerId: account.customerId,
    },
    p,
  );
  return { ctes, audit };
}

/**
 * Records a tier change already applied to `account`: history row, audit entry and, when the
 * tier went up, the TIER_UPGRADED notification, in one statement of the caller's transaction.
 */
export async function recordTierChange(
  tx: Tx | SqlTx,
  account: Pick<LockedAccount, 'id' | 'customerId'>,
  change: TierChange,
): Promise<void> {
  const params = new Params();
  const { ctes, audit } = tierChangeSql(account, change, (value) => params.add(value));
  await sqlOf(tx).query(
    `WITH ${ctes.join(',\n')} INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${audit}`,
    params.values,
  );
}

/**
 * Awards points inside the caller's transaction: locks the account row, writes an EARN lot,
 * updates balance/lifetime, upgrades the tier (TIER_UPGRADED outbox notification) when a
 * threshold is crossed. With an idempotency key, a repeat of the same request returns the first
 * entry and a different request under the same key is IDEMPOTENCY_CONFLICT (DomainError).
 * Points must be an integer 1..1,000,000 (VALIDATION); NOT_FOUND when the customer has no account.
 * The entry is dated `now` (default: the time the lock was obtained), or 1 ms after the account's
 * latest entry if that is later, and its points expire 12 months after that date.
 */
export async function earnPointsInTx(
  tx: Tx,
  input: {
    customerId: string;
    points: number;
    reason: string;
    orderId?: string | null;
    idempotencyKey?: string | null;
    actorId?: string | null;
    now?: Date;
  },
): Promise<LedgerEntry> {
  checkPoints(input.points);
  const reason = checkReason(input.reason);
  checkIdempotencyKey(input.idempotencyKey);
  const account = await lockAccount(tx, input.customerId);
  const change: PointsChange = {
    type: 'EARN',
    points: input.points,
    reason,
    orderId: input.orderId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    actor: { id: input.actorId ?? null },
    now: input.now,
  };
  return (await findReplay(tx, account.id, change)) ?? applyToLockedAccount(tx, account, change);
}
