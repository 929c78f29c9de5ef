import { auditRoleOf, isSupervisor, ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { SqlTx, Transact } from '../../db/transaction';
import { Prisma, type LedgerEntry, type LoyaltyAccount, type RewardRedemption } from '../../generated/prisma/client';
import type { LedgerEntryType, LoyaltyTier } from '../../generated/prisma/enums';
import { DomainError } from '../../shared/domain-error';
import { recordAudit, type AuditRecord } from '../audit/audit';
import { lockCustomer } from '../customer/customer.lock';
import {
  addLot,
  applyToLockedAccount,
  checkIdempotencyKey,
  checkPoints,
  checkReason,
  entryDate,
  expireLockedAccounts,
  findReplay,
  lockAccount,
  lockCustomerAccount,
  notClawedBack,
  qualifyingPointsOf,
  readForChange,
  recordTierChange,
  type PointsChange,
} from './loyalty.ledger';
import { TIERS } from './loyalty.tiers';

/** An explicit clock, so that tests (and the property test) can move time. Defaults to now. */
export interface Clock {
  now?: Date;
}

export interface PointsInput {
  points: number;
  reason: string;
  idempotencyKey: string;
}

export interface PointsResult {
  /** The ledger entry of the change: on a replay, the one the first request wrote. */
  entry: LedgerEntry;
  /** The account as it is now (after the change, or the current state on a replay). */
  account: LoyaltyAccount;
  /** True when the idempotency key was already used by the same request: nothing was applied again. */
  replayed: boolean;
}

export interface RewardRedeemResult extends PointsResult {
  redemption: RewardRedemption;
}

export interface ExpiryResult {
  asOf: Date;
  accounts: number;
  points: number;
}

export interface TierReviewResult {
  asOf: Date;
  reviewed: number;
  upgraded: number;
  downgraded: number;
}

/** Accounts handled per transaction by the set-based batch operations (expiry, tier review). */
export const BATCH_SIZE = 500;

/**
 * Loyalty: the rules of SPEC §3 "Loyalty" as transactions over the ledger (loyalty.ledger.ts).
 * Each points change locks the customer (visibility, lockCustomer) and then the account row.
 */
export class LoyaltyService {
  /**
   * `transact`: the database's raw-SQL transaction (db.transaction) for the hot earn path; the
   * other changes use Prisma's.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly transact: Transact,
  ) {}

  /**
   * Earns points in db.transaction, five statements with BEGIN and COMMIT: the locks of customer
   * and account, what the change reads after them (replay, latest entry, qualifying points), and
   * the entry with balance, tier upgrade and audit entries.
   */
  earn(actor: Actor, customerId: string, input: PointsInput, clock: Clock = {}): Promise<PointsResult> {
    checkPoints(input.points);
    const reason = checkReason(input.reason);
    checkKey(input.idempotencyKey);
    const run = async (tx: SqlTx): Promise<PointsResult> => {
      const { account, row } = await lockCustomerAccount(tx, actor, customerId);
      const now = clock.now ?? new Date();
      const request = {
        type: 'EARN' as const,
        points: input.points,
        reason,
        idempotencyKey: input.idempotencyKey,
        actor,
        now,
      };
      const read = await readForChange(tx, account.id, request);
      if (read.replay) return { entry: read.replay, account: row, replayed: true };
      const at = entryDate(now, read.last);
      // The qualifying points read are those at `now`: at a later date (the clock behind the latest entry), read them there.
      const qualifying =
        at.getTime() === now.getTime() ? read.qualifying : await qualifyingPointsOf(tx, account.id, at);
      const written = await addLot(tx, account, request, at, {
        qualifying,
        audit: { actor, record: pointsAudit(account.id, request) },
      });
      return { entry: written.entry, account: written.row, replayed: false };
    };
    return this.idempotent(() => this.transact(run));
  }

  /** Spends points (INSUFFICIENT_POINTS when the balance, after expiring due points, is smaller). */
  redeem(actor: Actor, customerId: string, input: PointsInput, clock: Clock = {}): Promise<PointsResult> {
    checkPoints(input.points);
    return this.change(
      actor,
      customerId,
      {
        type: 'REDEEM',
        points: -input.points,
        reason: checkReason(input.reason),
        idempotencyKey: input.idempotencyKey,
      },
      clock,
    );
  }

  /** MANAGER/ADMIN: signed correction; positive adds a lot, negative consumes like a redemption. */
  adjust(actor: Actor, customerId: string, input: PointsInput, clock: Clock = {}): Promise<PointsResult> {
    requireSupervisor(actor);
    checkPoints(input.points, ['input', 'points'], true);
    return this.change(
      actor,
      customerId,
      { type: 'ADJUST', points: input.points, reason: checkReason(input.reason), idempotencyKey: input.idempotencyKey },
      clock,
    );
  }

  private change(
    actor: Actor,
    customerId: string,
    change: PointsChange & { type: LedgerEntryType },
    clock: Clock,
  ): Promise<PointsResult> {
    checkKey(change.idempotencyKey);
    const run = async (tx: Tx): Promise<PointsResult> => {
      const account = await this.lock(tx, actor, customerId);
      const request = { ...change, actor, now: clock.now ?? new Date() };
      const replay = await findReplay(tx, account.id, request);
      if (replay) return { entry: replay, account: await this.account(tx, account.id), replayed: true };
      const entry = await applyToLockedAccount(tx, account, request);
      await recordAudit(tx, actor, pointsAudit(account.id, change));
      return { entry, account: await this.account(tx, account.id), replayed: false };
    };
    return this.idempotent(() => this.prisma.$transaction(run));
  }

  /**
   * Redeems a reward: spends its points cost and records the redemption in one transaction. The
   * idempotency key is that of the REDEEM entry; stock (when limited) is taken atomically.
   */
  redeemReward(
    actor: Actor,
    customerId: string,
    input: { rewardId: string; idempotencyKey: string },
    clock: Clock = {},
  ): Promise<RewardRedeemResult> {
    checkKey(input.idempotencyKey);
    const run = async (tx: Tx): Promise<RewardRedeemResult> => {
      const account = await this.lock(tx, actor, customerId);
      const reward = await tx.reward.findUnique({ where: { id: input.rewardId } });
      if (!reward) throw new DomainError('NOT_FOUND', 'Reward not found', ['input', 'rewardId']);
      const request: PointsChange = {
        type: 'REDEEM',
        points: -reward.pointsCost,
        reason: `Reward: ${reward.name}`,
        rewardId: reward.id,
        idempotencyKey: input.idempotencyKey,
        actor,
        now: clock.now ?? new Date(),
      };
      const replay = await findReplay(tx, account.id, request);
      if (replay) {
        const redemption = await tx.rewardRedemption.findUniqueOrThrow({ where: { ledgerEntryId: replay.id } });
        return { entry: replay, redemption, account: await this.account(tx, account.id), replayed: true };
      }
      if (!reward.active)
        throw new DomainError('VALIDATION', 'This reward is no longer offered', ['input', 'rewardId']);
      const entry = await applyToLockedAccount(tx, account, request);
      if (reward.stock !== null) {
        // Last, so the reward row (shared by every redeemer) stays locked as briefly as possible.
        const taken =
          await tx.$executeRaw`UPDATE rewards SET stock = stock - 1, updated_at = now() WHERE id = ${reward.id}::uuid AND stock > 0`;
        if (taken === 0) throw new DomainError('OUT_OF_STOCK', 'This reward is out of stock', ['input', 'rewardId']);
      }
      const redemption = await tx.rewardRedemption.create({
        data: {
          rewardId: reward.id,
          accountId: account.id,
          ledgerEntryId: entry.id,
          pointsSpent: reward.pointsCost,
          createdAt: request.now,
        },
      });
      await recordAudit(tx, actor, {
        action: 'loyalty.reward.redeem',
        entityType: 'LoyaltyAccount',
        entityId: account.id,
        changedFields: ['pointsBalance'],
      });
      return { entry, redemption, account: await this.account(tx, account.id), replayed: false };
    };
    return this.idempotent(() => this.prisma.$transaction(run));
  }

  /** MANAGER/ADMIN: sets the tier explicitly (up or down), keeping the reason in the tier history. */
  async setTier(
    actor: Actor,
    customerId: string,
    input: { tier: LoyaltyTier; reason: string },
    clock: Clock = {},
  ): Promise<LoyaltyAccount> {
    requireSupervisor(actor);
    const reason = checkReason(input.reason);
    return this.prisma.$transaction(async (tx) => {
      const account = await this.lock(tx, actor, customerId);
      if (account.tier === input.tier) return this.account(tx, account.id);
      const now = clock.now ?? new Date();
      await tx.loyaltyAccount.update({ where: { id: account.id }, data: { tier: input.tier } });
      const qualifying = await qualifyingPointsOf(tx, account.id, now);
      await recordTierChange(tx, account, {
        kind: 'SET',
        from: account.tier,
        to: input.tier,
        qualifyingPoints: qualifying,
        reason,
        actor,
        at: now,
      });
      return this.account(tx, account.id);
    });
  }

  /**
   * Expires due points (earned 12 months or more before `asOf`) of every account, or of one
   * customer's. Per batch of accounts: one statement finds candidates, one transaction locks them
   * (in id order) and expires them in one statement. Safe to run repeatedly and concurrently: a
   * second run waits for the locks and then finds nothing due. `asOf` (default now) is for
   * MANAGER/ADMIN testing ("time travel") and catching up: points due by `asOf` expire; each EXPIRE
   * entry carries that `asOf` and is dated when the run happens (the clock), so the ledger stays in order.
   */
  async expire(
    actor: Actor,
    input: { asOf?: Date | null; customerId?: string | null } = {},
    clock: Clock = {},
  ): Promise<ExpiryResult> {
    requireSupervisor(actor);
    const asOf = input.asOf ?? clock.now ?? new Date();
    const result: ExpiryResult = { asOf, accounts: 0, points: 0 };
    const customer = input.customerId ? await this.visibleAccountId(actor, input.customerId) : null;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const candidates = await this.prisma.$queryRaw<{ account_id: string }[]>`
        SELECT DISTINCT account_id FROM loyalty_ledger
        WHERE remaining > 0 AND expires_at <= ${asOf} AND account_id > ${after}::uuid ${customer ? sqlAccountFilter(customer) : sqlEmpty}
        ORDER BY account_id LIMIT ${BATCH_SIZE}`;
      if (candidates.length === 0) break;
      const ids = candidates.map((c) => c.account_id);
      const expired = await this.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM loyalty_accounts WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
        return expireLockedAccounts(tx, ids, asOf, clock.now ?? new Date(), actor);
      });
      result.accounts += expired.size;
      for (const { points } of expired.values()) result.points += points;
      after = ids[ids.length - 1];
      if (candidates.length < BATCH_SIZE) break;
    }
    return result;
  }

  /**
   * The tier review (MANAGER/ADMIN): sets every account's tier (or one customer's) to exactly what
   * its qualifying points at `asOf` earn. The only automatic way down; upgrades notify as usual.
   * Without `asOf`, each batch is reviewed as of the moment its accounts are locked (the result's
   * `asOf` is the last batch's).
   */
  async reviewTiers(
    actor: Actor,
    input: { asOf?: Date | null; customerId?: string | null } = {},
  ): Promise<TierReviewResult> {
    requireSupervisor(actor);
    const result: TierReviewResult = { asOf: input.asOf ?? new Date(), reviewed: 0, upgraded: 0, downgraded: 0 };
    const customer = input.customerId ? await this.visibleAccountId(actor, input.customerId) : null;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const candidates = await this.prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM loyalty_accounts WHERE id > ${after}::uuid ${customer ? Prisma.sql`AND id = ${customer}::uuid` : sqlEmpty}
        ORDER BY id LIMIT ${BATCH_SIZE}`;
      if (candidates.length === 0) break;
      const ids = candidates.map((c) => c.id);
      const changes = await this.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM loyalty_accounts WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
        // "Now" is taken once the accounts are locked: a review started earlier would not count an
        // earn committed while it waited, and would take back the tier that earn just gave.
        if (!input.asOf) result.asOf = new Date();
        return reviewLockedAccounts(tx, ids, result.asOf, actor);
      });
      result.reviewed += ids.length;
      result.upgraded += changes.filter((c) => c.up).length;
      result.downgraded += changes.filter((c) => !c.up).length;
      after = ids[ids.length - 1];
      if (candidates.length < BATCH_SIZE) break;
    }
    return result;
  }

  /** Locks customer (visibility: another agent's customer is NOT_FOUND) and then its account. */
  private async lock(tx: Tx, actor: Actor, customerId: string) {
    await lockCustomer(tx, actor, customerId, ['customerId']);
    return lockAccount(tx, customerId);
  }

  private account(tx: Tx, id: string): Promise<LoyaltyAccount> {
    return tx.loyaltyAccount.findUniqueOrThrow({ where: { id } });
  }

  /** The account of a customer for the supervisor-only batch operations (supervisors see every customer). */
  private async visibleAccountId(actor: Actor, customerId: string): Promise<string> {
    const account = await this.prisma.loyaltyAccount.findUnique({
      where: { customerId },
      select: { id: true, customer: { select: { ownerId: true } } },
    });
    const scope = ownerScope(actor);
    if (!account || (scope && account.customer.ownerId !== scope))
      throw new DomainError('NOT_FOUND', 'Customer not found', ['input', 'customerId']);
    return account.id;
  }

  /**
   * Runs a points transaction. The key is checked under the account lock, so retries of one
   * request on one account never collide; a unique violation on the key can only come from a race
   * with ANOTHER account using it, and re-running then answers from the stored entry.
   */
  private async idempotent<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!isUniqueViolation(error, 'idempotency_key')) throw error;
      return attempt();
    }
  }
}

/** The audit entry of a points change (earn, redeem, adjust). */
const pointsAudit = (accountId: string, change: Pick<PointsChange, 'type' | 'reason'>): AuditRecord => ({
  action: `loyalty.points.${change.type.toLowerCase()}`,
  entityType: 'LoyaltyAccount',
  entityId: accountId,
  changedFields: ['pointsBalance'],
  reason: change.reason,
});

function requireSupervisor(actor: Actor): void {
  if (!isSupervisor(actor)) throw new DomainError('FORBIDDEN', 'Only a MANAGER or ADMIN may do this', null);
}

function checkKey(key: string | null | undefined): void {
  if (key == null) throw new DomainError('VALIDATION', 'idempotencyKey is required', ['input', 'idempotencyKey']);
  checkIdempotencyKey(key);
}

const sqlEmpty = Prisma.empty;
const sqlAccountFilter = (accountId: string) => Prisma.sql`AND account_id = ${accountId}::uuid`;

/**
 * Sets the tier of accounts the caller has LOCKED to what their qualifying points at `asOf` earn,
 * in one statement (tier thresholds passed as data), with history, audit and upgrade
 * notifications. Returns the accounts whose tier changed.
 */
async function reviewLockedAccounts(
  tx: Tx,
  ids: string[],
  asOf: Date,
  actor: Actor,
): Promise<{ accountId: string; up: boolean }[]> {
  const rows = await tx.$queryRaw<{ account_id: string; up: boolean }[]>`
    WITH q AS (
      SELECT a.id, a.customer_id, a.tier,
        (SELECT coalesce(sum(e.points), 0)::int FROM loyalty_ledger e
         WHERE e.account_id = a.id AND e.type = 'EARN' AND e.created_at <= ${asOf} AND e.expires_at > ${asOf}
           AND ${notClawedBack(asOf)}) AS qualifying
      FROM loyalty_accounts a
      WHERE a.id = ANY(${ids}::uuid[])
    ), target AS (
      SELECT q.*, (
        SELECT t.tier FROM unnest(${TIERS.map((t) => t.tier)}::text[], ${TIERS.map((t) => t.threshold)}::int[]) AS t(tier, threshold)
        WHERE t.threshold <= q.qualifying ORDER BY t.threshold DESC LIMIT 1
      )::"LoyaltyTier" AS new_tier
      FROM q
    ), reviewed AS (
      UPDATE loyalty_accounts a SET tier = target.new_tier, tier_reviewed_at = ${asOf}, updated_at = now()
      FROM target WHERE a.id = target.id
      RETURNING a.id, a.customer_id, target.tier AS from_tier, target.new_tier AS to_tier, target.qualifying
    ), changed AS (
      SELECT * FROM reviewed WHERE from_tier <> to_tier
    ), history AS (
      INSERT INTO loyalty_tier_changes (account_id, kind, from_tier, to_tier, qualifying_points, reason, actor_id, created_at)
      SELECT id, 'REVIEW', from_tier, to_tier, qualifying, 'Tier review', ${actor.id}::uuid, ${asOf} FROM changed
    ), notify AS (
      INSERT INTO notifications (type, customer_id, payload)
      SELECT 'TIER_UPGRADED', customer_id, jsonb_build_object('from', from_tier, 'to', to_tier, 'qualifyingPoints', qualifying)
      FROM changed WHERE to_tier > from_tier
    ), audit AS (
      INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, changed_fields, customer_id)
      SELECT ${actor.id}::uuid, ${auditRoleOf(actor)}, 'loyalty.tier.review', 'LoyaltyAccount', id::text, ARRAY['tier'], customer_id FROM changed
    )
    SELECT id AS account_id, to_tier > from_tier AS up FROM changed`;
  return rows.map((r) => ({ accountId: r.account_id, up: r.up }));
}
