// Each tier rule of docs/loyalty.md at its boundaries, deterministically (lots written with
// exact dates; reviews with an explicit asOf): qualifying points are the EARN points of the
// trailing 12 months, not lifetime points and not the remaining balance; redeeming never lowers
// a tier; only a review downgrades.
import { addMonths } from '../../src/modules/loyalty/loyalty.tiers';
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
import { expectConsistentLedger, newKey } from './support';

const MS = 1;
const DAY = 86_400_000;
const AS_OF = new Date('2026-03-15T12:00:00.000Z');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['agent', 'manager'] as const) await server.token(who);
});
afterAll(() => server.close());

/** A customer (owned by the agent) whose account holds one EARN lot per entry, earned at the given instants. */
async function customerWithLots(lots: { points: number; earnedAt: Date }[]) {
  const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  const account = await server.db.prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
  let balance = 0;
  for (const lot of [...lots].sort((a, b) => a.earnedAt.getTime() - b.earnedAt.getTime())) {
    balance += lot.points;
    await server.db.prisma.ledgerEntry.create({
      data: {
        accountId: account.id,
        type: 'EARN',
        points: lot.points,
        remaining: lot.points,
        balanceAfter: balance,
        reason: 'Boundary',
        createdAt: lot.earnedAt,
        expiresAt: addMonths(lot.earnedAt, 12),
      },
    });
  }
  await server.db.prisma.loyaltyAccount.update({
    where: { id: account.id },
    data: { pointsBalance: balance, lifetimePoints: balance },
  });
  return customer;
}

const account = async (customer: { globalId: string }) =>
  (await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 1 }, 'agent')).data!.customer!.loyalty!;
const review = async (customer: { globalId: string }, asOf: Date) =>
  (
    await server.gql(
      LoyaltyTierReview,
      { input: { customerId: customer.globalId, asOf: asOf.toISOString() } },
      'manager',
    )
  ).data!.loyaltyTierReview;
const earn = async (customer: { globalId: string }, points: number) =>
  (
    await server.gql(
      LoyaltyEarn,
      { customerId: customer.globalId, input: { points, reason: 'Purchase', idempotencyKey: newKey() } },
      'agent',
    )
  ).data!.loyaltyPointsEarn;
const redeem = async (customer: { globalId: string }, points: number) =>
  (
    await server.gql(
      LoyaltyRedeem,
      { customerId: customer.globalId, input: { points, reason: 'Voucher', idempotencyKey: newKey() } },
      'agent',
    )
  ).data!.loyaltyPointsRedeem;
const setTier = (customer: { globalId: string }, tier: 'PLATINUM' | 'GOLD') =>
  server.gql(LoyaltyTierSet, { customerId: customer.globalId, input: { tier, reason: 'Boundary test' } }, 'manager');

describe('qualifying window at a review (asOf given): trailing 12 months, by the lot’s expiry', () => {
  const twelveMonthsBefore = addMonths(AS_OF, -12);
  it.each<[string, 'SILVER' | 'BRONZE', Date]>([
    ['12 months + 1 day before asOf: no longer qualifies', 'BRONZE', new Date(twelveMonthsBefore.getTime() - DAY)],
    ['exactly 12 months before asOf: expires at asOf, so no longer qualifies', 'BRONZE', twelveMonthsBefore],
    ['12 months − 1 ms before asOf: still qualifies', 'SILVER', new Date(twelveMonthsBefore.getTime() + MS)],
    ['1 day before asOf: qualifies', 'SILVER', new Date(AS_OF.getTime() - DAY)],
    ['exactly at asOf: qualifies', 'SILVER', AS_OF],
    ['1 ms after asOf: not yet earned at asOf', 'BRONZE', new Date(AS_OF.getTime() + MS)],
  ])('500 points earned %s → %s', async (_, tier, earnedAt) => {
    const customer = await customerWithLots([{ points: 500, earnedAt }]);
    const result = await review(customer, AS_OF);
    expect(result).toMatchObject({
      userErrors: [],
      accountsReviewed: 1,
      upgraded: tier === 'SILVER' ? 1 : 0,
      downgraded: 0,
    });
    expect((await account(customer)).tier).toBe(tier);
  });

  it.each<[number, string]>([
    [499, 'BRONZE'],
    [500, 'SILVER'],
    [999, 'SILVER'],
    [1000, 'GOLD'],
    [4999, 'GOLD'],
    [5000, 'PLATINUM'],
  ])('%i qualifying points at the review → %s', async (points, tier) => {
    const customer = await customerWithLots([{ points, earnedAt: new Date(AS_OF.getTime() - DAY) }]);
    await review(customer, AS_OF);
    expect((await account(customer)).tier).toBe(tier);
  });

  it('lifetime points do not count: 4,600 points earned 13 months ago and 400 this month review to BRONZE', async () => {
    const customer = await customerWithLots([
      { points: 4600, earnedAt: addMonths(AS_OF, -13) },
      { points: 400, earnedAt: new Date(AS_OF.getTime() - 3 * DAY) },
    ]);
    await setTier(customer, 'PLATINUM');
    expect(await review(customer, AS_OF)).toMatchObject({ downgraded: 1, upgraded: 0 });
    const after = await account(customer);
    expect(after.tier).toBe('BRONZE');
    // The review is dated asOf (before the manual SET that is dated now), so look it up by kind.
    expect(after.tierHistory.find((h) => h.kind === 'REVIEW')).toMatchObject({
      fromTier: 'PLATINUM',
      toTier: 'BRONZE',
      qualifyingPoints: 400,
    });
  });
});

describe('qualifying points now (the account field and the upgrade on earning)', () => {
  const now = () => new Date();

  it('qualifyingPoints counts lots earned within the last 12 months only, whatever lifetimePoints says', async () => {
    const customer = await customerWithLots([
      { points: 300, earnedAt: new Date(addMonths(now(), -12).getTime() - DAY) },
      { points: 200, earnedAt: new Date(addMonths(now(), -12).getTime() + DAY) },
      { points: 50, earnedAt: new Date(now().getTime() - DAY) },
    ]);
    expect(await account(customer)).toMatchObject({
      tier: 'BRONZE',
      lifetimePoints: 550,
      qualifyingPoints: 250,
      nextTier: 'SILVER',
      pointsToNextTier: 250,
    });
  });

  it('an earn upgrades on the trailing 12 months: 450 earned 12 months + 1 day ago and 100 now stay BRONZE', async () => {
    const customer = await customerWithLots([
      { points: 450, earnedAt: new Date(addMonths(now(), -12).getTime() - DAY) },
    ]);
    const earned = await earn(customer, 100);
    expect(earned.userErrors).toEqual([]);
    expect(earned.account).toMatchObject({ tier: 'BRONZE', lifetimePoints: 550, qualifyingPoints: 100 });
  });

  it('an earn upgrades on the trailing 12 months: 450 earned 12 months − 1 day ago and 50 now reach SILVER exactly', async () => {
    const customer = await customerWithLots([
      { points: 450, earnedAt: new Date(addMonths(now(), -12).getTime() + DAY) },
    ]);
    expect((await earn(customer, 49)).account).toMatchObject({
      tier: 'BRONZE',
      qualifyingPoints: 499,
      pointsToNextTier: 1,
    });
    expect((await earn(customer, 1)).account).toMatchObject({ tier: 'SILVER', qualifyingPoints: 500 });
    expect((await account(customer)).tierHistory[0]).toMatchObject({
      kind: 'UPGRADE',
      fromTier: 'BRONZE',
      toTier: 'SILVER',
      qualifyingPoints: 500,
    });
  });
});

describe('redeeming never lowers a tier or the qualifying points', () => {
  it('SILVER at exactly 500: redeeming everything keeps SILVER and 500 qualifying points', async () => {
    const customer = await customerWithLots([]);
    expect((await earn(customer, 500)).account!.tier).toBe('SILVER');
    const redeemed = await redeem(customer, 500);
    expect(redeemed.userErrors).toEqual([]);
    expect(redeemed.account).toMatchObject({ tier: 'SILVER', pointsBalance: 0, qualifyingPoints: 500 });
    await expectConsistentLedger(server.db, customer.id);
  });

  it('redeemed points still qualify: earn 500, redeem 400, earn 500 → GOLD (1,000 qualifying, 600 balance)', async () => {
    const customer = await customerWithLots([]);
    await earn(customer, 500);
    await redeem(customer, 400);
    expect((await earn(customer, 500)).account).toMatchObject({
      tier: 'GOLD',
      pointsBalance: 600,
      qualifyingPoints: 1000,
    });
  });
});

describe('only a review lowers a tier', () => {
  it('a GOLD tier with no qualifying points survives earning, redeeming and an expiry run; the review lowers it', async () => {
    const customer = await customerWithLots([{ points: 300, earnedAt: addMonths(new Date(), -13) }]);
    await setTier(customer, 'GOLD');
    await earn(customer, 10);
    expect((await account(customer)).tier).toBe('GOLD');
    expect((await redeem(customer, 10)).account!.tier).toBe('GOLD'); // expires the 300 first, then spends the 10
    await server.gql(LoyaltyExpire, { input: { customerId: customer.globalId } }, 'manager');
    expect(await account(customer)).toMatchObject({ tier: 'GOLD', pointsBalance: 0, qualifyingPoints: 10 });
    expect(await review(customer, new Date())).toMatchObject({ downgraded: 1 });
    expect((await account(customer)).tier).toBe('BRONZE');
  });

  it('a review at exactly the threshold keeps the tier; one point less lowers it', async () => {
    const keep = await customerWithLots([{ points: 1000, earnedAt: new Date(AS_OF.getTime() - DAY) }]);
    const lower = await customerWithLots([{ points: 999, earnedAt: new Date(AS_OF.getTime() - DAY) }]);
    for (const c of [keep, lower]) await setTier(c, 'GOLD');
    expect(await review(keep, AS_OF)).toMatchObject({ downgraded: 0, upgraded: 0 });
    expect(await review(lower, AS_OF)).toMatchObject({ downgraded: 1 });
    expect([(await account(keep)).tier, (await account(lower)).tier]).toEqual(['GOLD', 'SILVER']);
  });
});
