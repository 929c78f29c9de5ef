// Expiry (FIFO, repeatable, time travel with asOf) and tiers (upgrade once, never lowered by
// redeeming, set with a reason, review) through HTTP.
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  LoyaltyAccountOf,
  LoyaltyEarn,
  LoyaltyExpire,
  LoyaltyRedeem,
  LoyaltyTierReview,
  LoyaltyTierSet,
} from './loyalty.documents';
import { expectConsistentLedger, loyaltySnapshot, newKey } from './support';

const DAY = 86_400_000;
const addMonths = (date: Date, months: number) =>
  new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );

describe('loyalty expiry and tiers', () => {
  let server: TestServer;
  let customer: { id: string; globalId: string };

  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  });
  afterAll(() => server.close());

  const earn = async (points: number) =>
    (
      await server.gql(
        LoyaltyEarn,
        { customerId: customer.globalId, input: { points, reason: 'Purchase', idempotencyKey: newKey() } },
        'agent',
      )
    ).data!.loyaltyPointsEarn;
  const redeem = async (points: number) =>
    (
      await server.gql(
        LoyaltyRedeem,
        { customerId: customer.globalId, input: { points, reason: 'Voucher', idempotencyKey: newKey() } },
        'agent',
      )
    ).data!.loyaltyPointsRedeem;
  const expire = async (asOf: Date) =>
    (await server.gql(LoyaltyExpire, { input: { asOf: asOf.toISOString(), customerId: customer.globalId } }, 'manager'))
      .data!.loyaltyPointsExpire;
  const account = async (withinDays?: number) =>
    (await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 20, withinDays }, 'agent')).data!.customer!
      .loyalty!;
  /** Moves an entry (and its expiry) back in time, as if it had been written earlier. */
  const backdate = (entryId: string, months: number) =>
    server.db.sql.query(
      `UPDATE loyalty_ledger SET created_at = created_at - make_interval(months => $2), expires_at = expires_at - make_interval(months => $2) WHERE id = $1`,
      [Buffer.from(entryId, 'base64url').toString().split(':')[1], months],
    );

  it('earn 100 at t0, 100 at t1, redeem 150: expiry as of t0 + 12 months + 1 day expires only the 50 left; again finds nothing', async () => {
    const t0 = new Date((await earn(100)).entry!.createdAt);
    await earn(100);
    expect((await redeem(150)).account!.pointsBalance).toBe(50);
    const run = await expire(new Date(addMonths(t0, 12).getTime() + DAY));
    expect(run).toMatchObject({ userErrors: [], accountsAffected: 1, pointsExpired: 50 });
    expect(await expire(new Date(addMonths(t0, 12).getTime() + DAY))).toMatchObject({
      accountsAffected: 0,
      pointsExpired: 0,
    });
    const state = await expectConsistentLedger(server.db, customer.id);
    expect(state.balance).toBe(0);
    expect((await account()).transactions.edges[0].node).toMatchObject({
      type: 'EXPIRE',
      points: -50,
      balanceAfter: 0,
    });
    // The set-based expiry's audit entry names the customer, so it is in their audit trail.
    expect(
      await server.db.sql.query(
        `SELECT customer_id FROM audit_log WHERE action = 'loyalty.points.expire' AND entity_id = $1`,
        [state.accountId],
      ),
    ).toEqual([{ customer_id: customer.id }]);
  });

  it('an expiry run with a chosen date carries that as-of date on its EXPIRE entry, dated when it ran', async () => {
    const t0 = new Date((await earn(80)).entry!.createdAt);
    const asOf = new Date(addMonths(t0, 12).getTime() + 3 * DAY);
    const before = Date.now();
    expect(await expire(asOf)).toMatchObject({ userErrors: [], pointsExpired: 80, asOf: asOf.toISOString() });
    const entry = (await account()).transactions.edges[0].node;
    expect(entry).toMatchObject({ type: 'EXPIRE', points: -80, asOf: asOf.toISOString(), shortfall: null });
    // The ledger stays in the order of application: the entry is dated when the run happened.
    expect(new Date(entry.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(entry.createdAt).getTime()).toBeLessThan(asOf.getTime());
    const [row] = await server.db.sql.query<{ as_of: Date }>(
      `SELECT as_of FROM loyalty_ledger WHERE type = 'EXPIRE' AND account_id = (SELECT id FROM loyalty_accounts WHERE customer_id = $1)`,
      [customer.id],
    );
    expect(new Date(row.as_of).toISOString()).toBe(asOf.toISOString());
    // An expiry done by a spending change carries that change's time; other entries carry none.
    expect((await account()).transactions.edges.find((e) => e.node.type === 'EARN')!.node.asOf).toBeNull();
    await expectConsistentLedger(server.db, customer.id);
  });

  it('redeems the oldest lot first, so only the newer lot has points left to expire', async () => {
    const older = (await earn(100)).entry!;
    const newer = (await earn(100)).entry!;
    await backdate(older.id, 2); // earned two months before the newer lot
    await redeem(150);
    const lots = (await account()).transactions.edges
      .filter((e) => e.node.type === 'EARN')
      .map((e) => e.node.remaining);
    expect(lots).toEqual([50, 0]); // newest first: the newer lot keeps 50
    const olderExpiry = addMonths(new Date(older.createdAt), 10);
    expect(await expire(new Date(olderExpiry.getTime() + DAY))).toMatchObject({ pointsExpired: 0 });
    expect((await account(400)).pointsExpiring).toBe(50);
    expect((await account(30)).pointsExpiring).toBe(0);
    expect(await expire(new Date(new Date(newer.expiresAt!).getTime() + DAY))).toMatchObject({
      pointsExpired: 50,
      accountsAffected: 1,
    });
    await expectConsistentLedger(server.db, customer.id);
  });

  it('never spends expired points, even before an expiry run has processed them', async () => {
    const old = (await earn(100)).entry!;
    await earn(50);
    await backdate(old.id, 13); // due, not processed yet: still in the balance
    expect((await account(0)).pointsExpiring).toBe(100);
    const before = await loyaltySnapshot(server.db);
    const refused = await redeem(100);
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'INSUFFICIENT_POINTS' })]);
    expect(await loyaltySnapshot(server.db)).toEqual(before); // the automatic expiry rolled back too
    expect((await redeem(50)).userErrors).toEqual([]);
    const edges = (await account()).transactions.edges.map((e) => [e.node.type, e.node.points, e.node.balanceAfter]);
    expect(edges.slice(0, 2)).toEqual([
      ['REDEEM', -50, 0],
      ['EXPIRE', -100, 50],
    ]);
    expect((await account()).qualifyingPoints).toBe(50);
    await expectConsistentLedger(server.db, customer.id);
  });

  it('lets only MANAGER/ADMIN run the expiry', async () => {
    const res = await server.gql(LoyaltyExpire, { input: null }, 'agent');
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const all = (await server.gql(LoyaltyExpire, {}, 'admin')).data!.loyaltyPointsExpire;
    expect(all.userErrors).toEqual([]);
  });

  it('upgrades the moment a threshold is crossed, notifies once, and never lowers the tier on redemption', async () => {
    const upgrades = async () =>
      Number(
        (
          await server.db.sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM notifications WHERE customer_id = $1 AND type = 'TIER_UPGRADED'`,
            [customer.id],
          )
        )[0].n,
      );
    expect((await earn(499)).account).toMatchObject({ tier: 'BRONZE', pointsToNextTier: 1 });
    expect(await upgrades()).toBe(0);
    expect((await earn(1)).account).toMatchObject({ tier: 'SILVER', nextTier: 'GOLD', pointsToNextTier: 500 });
    expect(await upgrades()).toBe(1);
    await earn(10);
    expect(await upgrades()).toBe(1);
    expect((await redeem(500)).account).toMatchObject({ tier: 'SILVER', pointsBalance: 10, qualifyingPoints: 510 });
    expect((await earn(4490)).account).toMatchObject({ tier: 'PLATINUM', nextTier: null, pointsToNextTier: null });
    expect(await upgrades()).toBe(2);
    const history = (await account()).tierHistory;
    expect(history.map((h) => [h.kind, h.fromTier, h.toTier, h.qualifyingPoints])).toEqual([
      ['UPGRADE', 'SILVER', 'PLATINUM', 5000],
      ['UPGRADE', 'BRONZE', 'SILVER', 500],
    ]);
    const audit = await server.db.sql.query(
      `SELECT 1 FROM audit_log WHERE action = 'loyalty.tier.upgrade' AND entity_id = $1`,
      [(await expectConsistentLedger(server.db, customer.id)).accountId],
    );
    expect(audit).toHaveLength(2);
  });

  it('lets MANAGER/ADMIN set a tier with a reason (kept in the history and audited)', async () => {
    const set = (tier: 'GOLD' | 'BRONZE', reason: string, who: 'manager' | 'agent' = 'manager') =>
      server.gql(LoyaltyTierSet, { customerId: customer.globalId, input: { tier, reason } }, who);
    expect((await set('GOLD', 'VIP', 'agent')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await set('GOLD', '  ')).data!.loyaltyTierSet.userErrors[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['input', 'reason'],
    });
    const res = (await set('GOLD', 'VIP customer, agreed by the store manager')).data!.loyaltyTierSet;
    expect(res.userErrors).toEqual([]);
    expect(res.account!.tier).toBe('GOLD');
    expect(res.account!.tierHistory[0]).toEqual({
      kind: 'SET',
      fromTier: 'BRONZE',
      toTier: 'GOLD',
      reason: 'VIP customer, agreed by the store manager',
      changedBy: { name: 'Max Manager' },
    });
    const audit = await server.db.sql.query(`SELECT actor_role FROM audit_log WHERE action = 'loyalty.tier.set'`);
    expect(audit).toContainEqual({ actor_role: 'MANAGER' });
    // Earning below GOLD's threshold keeps the tier set above it.
    expect((await earn(600)).account!.tier).toBe('GOLD');
  });

  it('downgrades only at a tier review, to what the qualifying points earn', async () => {
    await server.gql(
      LoyaltyTierSet,
      { customerId: customer.globalId, input: { tier: 'PLATINUM', reason: 'Trial' } },
      'admin',
    );
    await earn(700);
    const review = (await server.gql(LoyaltyTierReview, { input: { customerId: customer.globalId } }, 'manager')).data!
      .loyaltyTierReview;
    expect(review).toMatchObject({ userErrors: [], accountsReviewed: 1, downgraded: 1, upgraded: 0 });
    const after = await account();
    expect(after.tier).toBe('SILVER');
    expect(after.tierHistory[0]).toMatchObject({
      kind: 'REVIEW',
      fromTier: 'PLATINUM',
      toTier: 'SILVER',
      qualifyingPoints: 700,
    });
    expect(
      await server.db.sql.query(
        `SELECT customer_id FROM audit_log WHERE action = 'loyalty.tier.review' AND customer_id = $1`,
        [customer.id],
      ),
    ).toHaveLength(1);
    const again = (await server.gql(LoyaltyTierReview, { input: { customerId: customer.globalId } }, 'manager')).data!
      .loyaltyTierReview;
    expect(again).toMatchObject({ downgraded: 0, upgraded: 0 });
    expect((await server.gql(LoyaltyTierReview, {}, 'agent')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
