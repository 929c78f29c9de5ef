// Property-based test of the ledger: random sequences of earn, redeem, adjust, expire, tier review
// and time jumps, run against the service on a real database with an explicit clock, must agree
// with a simple in-memory model and keep every invariant after every step.
import fc from 'fast-check';
import type { Actor } from '../../src/auth/actor';
import type { LoyaltyTier } from '../../src/generated/prisma/enums';
import { qualifyingPointsOf } from '../../src/modules/loyalty/loyalty.ledger';
import { LoyaltyService } from '../../src/modules/loyalty/loyalty.service';
import { expiryOf, tierForPoints, tierRank, upgradeFor } from '../../src/modules/loyalty/loyalty.tiers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertCustomer } from '../helpers/factories';
import { expectConsistentLedger } from './support';

type Op =
  | { kind: 'earn'; points: number }
  | { kind: 'redeem'; points: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'expire' }
  | { kind: 'review' }
  | { kind: 'jump'; days: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 2500 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 2000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      points: fc.integer({ min: -800, max: 800 }).filter((p) => p !== 0),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('review' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('jump' as const), days: fc.integer({ min: 1, max: 200 }) }) },
);

interface Lot {
  remaining: number;
  expiresAt: number;
}

/** The model: lots in creation order, earn history, balance and tier. */
class Model {
  lots: Lot[] = [];
  earns: { points: number; at: number }[] = [];
  balance = 0;
  tier: LoyaltyTier = 'BRONZE';

  qualifying(now: number) {
    return this.earns
      .filter((e) => e.at <= now && expiryOf(new Date(e.at)).getTime() > now)
      .reduce((s, e) => s + e.points, 0);
  }
  add(points: number, now: number, earn: boolean) {
    this.lots.push({ remaining: points, expiresAt: expiryOf(new Date(now)).getTime() });
    this.balance += points;
    if (earn) {
      this.earns.push({ points, at: now });
      this.tier = upgradeFor(this.tier, this.qualifying(now)) ?? this.tier;
    }
  }
  due(now: number) {
    return this.lots.filter((l) => l.expiresAt <= now).reduce((s, l) => s + l.remaining, 0);
  }
  expire(now: number) {
    for (const lot of this.lots)
      if (lot.expiresAt <= now) {
        this.balance -= lot.remaining;
        lot.remaining = 0;
      }
  }
  /** False (and unchanged) when the balance after expiry does not cover it. */
  spend(points: number, now: number): boolean {
    if (this.balance - this.due(now) < points) return false;
    this.expire(now);
    let left = points;
    for (const lot of [...this.lots].sort((a, b) => a.expiresAt - b.expiresAt)) {
      const used = Math.min(lot.remaining, left);
      lot.remaining -= used;
      left -= used;
    }
    this.balance -= points;
    return true;
  }
}

describe('loyalty ledger (property-based, against a model)', () => {
  let db: TestDatabase;
  let service: LoyaltyService;
  let actor: Actor;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new LoyaltyService(db.prisma, db.transaction);
    const staff = await db.prisma.staffUser.create({
      data: { email: 'prop-admin@test.local', name: 'Prop Admin', role: 'ADMIN', passwordHash: 'x' },
    });
    actor = { id: staff.id, role: 'ADMIN', email: staff.email, name: staff.name };
  });
  afterAll(() => db.close());

  it('keeps balance == sum(ledger) == model, lots, tiers and qualifying points consistent', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
        run += 1;
        const customer = await insertCustomer(db);
        const model = new Model();
        // Every step advances the clock by a second, so lots never share an expiry instant.
        let now = Date.UTC(2024, 0, 1, 9, 0, 0);
        for (const [step, op] of ops.entries()) {
          now += 1000;
          const clock = { now: new Date(now) };
          const key = `prop-${run}-${step}`;
          const tierBefore = model.tier;
          if (op.kind === 'earn') {
            const result = await service.earn(
              actor,
              customer.id,
              { points: op.points, reason: 'prop earn', idempotencyKey: key },
              clock,
            );
            model.add(op.points, now, true);
            expect(result.entry.balanceAfter).toBe(model.balance);
          } else if (op.kind === 'redeem' || (op.kind === 'adjust' && op.points < 0)) {
            const points = Math.abs(op.points);
            const call =
              op.kind === 'redeem'
                ? service.redeem(actor, customer.id, { points, reason: 'prop redeem', idempotencyKey: key }, clock)
                : service.adjust(
                    actor,
                    customer.id,
                    { points: op.points, reason: 'prop adjust', idempotencyKey: key },
                    clock,
                  );
            const ok = model.spend(points, now);
            if (ok) expect((await call).entry.balanceAfter).toBe(model.balance);
            else await expect(call).rejects.toMatchObject({ issues: [{ code: 'INSUFFICIENT_POINTS' }] });
          } else if (op.kind === 'adjust') {
            await service.adjust(
              actor,
              customer.id,
              { points: op.points, reason: 'prop adjust', idempotencyKey: key },
              clock,
            );
            model.add(op.points, now, false);
          } else if (op.kind === 'expire') {
            const due = model.due(now);
            const result = await service.expire(actor, { asOf: clock.now, customerId: customer.id }, clock);
            model.expire(now);
            expect(result.points).toBe(due);
          } else if (op.kind === 'review') {
            await service.reviewTiers(actor, { asOf: clock.now, customerId: customer.id });
            model.tier = tierForPoints(model.qualifying(now));
          } else {
            now += op.days * 86_400_000;
          }

          const state = await expectConsistentLedger(db, customer.id);
          expect(state.balance).toBe(model.balance);
          expect(state.tier).toBe(model.tier);
          if (op.kind !== 'review')
            expect(tierRank(state.tier as LoyaltyTier)).toBeGreaterThanOrEqual(tierRank(tierBefore));
          const lots = await db.prisma.ledgerEntry.findMany({
            where: { accountId: state.accountId, remaining: { not: null } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          });
          expect(lots.map((l) => [l.remaining, l.expiresAt!.getTime()])).toEqual(
            model.lots.map((l) => [l.remaining, l.expiresAt]),
          );
          const qualifying = await db.prisma.$transaction((tx) =>
            qualifyingPointsOf(tx, state.accountId, new Date(now)),
          );
          expect(qualifying).toBe(model.qualifying(now));
        }
      }),
      { numRuns: 25, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  });
});
