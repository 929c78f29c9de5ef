// The demo data's second half: activity that shows every feature on a fresh start, written
// through the services (so ledgers, tiers, policy numbers, attributes, audit entries are exactly
// what the API itself writes), acting as the demo admin. Deterministic: the same customers (by
// customer number) get the same stories on every fresh start; dates are relative to today.
//
//   loyalty   SILVER, GOLD and PLATINUM members (earn), reward and points redemptions, an expiry
//   orders    completed (points awarded), delivered, pending and cancelled orders, with feedback
//   policies  AUTO, HOME, LIFE, HEALTH, ACCIDENT and TRAVEL; claims in every state; a renewal;
//             renewals due (ACTIVE policies ending within 30 days)
//   coverage  at least one customer per gap rule of docs/coverage-rules.md
import type { Actor } from '../auth/actor';
import type { Database } from './client';
import { Decimal } from '../generated/prisma/internal/prismaNamespace';
import { ClaimService } from '../modules/claim/claim.service';
import { FeedbackService } from '../modules/feedback/feedback.service';
import { LoyaltyService } from '../modules/loyalty/loyalty.service';
import { OrderService } from '../modules/order/order.service';
import { PolicyService, type PolicyCreateData } from '../modules/policy/policy.service';
import type { PolicyType } from '../generated/prisma/enums';

const DAY = 86_400_000;
const dayOffset = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const yearsAgo = (years: number) => new Date(Date.UTC(new Date().getUTCFullYear() - years, 5, 15));

/** What each showcase customer's record is set to, so that its coverage gap is certain. */
interface Profile {
  age: number;
  income: number | null;
  dependants: number;
}

// Index into the demo customers (by customer number) → profile and policies (currency USD unless said).
type PolicyPlan = {
  type: PolicyType;
  coverage: number;
  premium: number;
  frequency?: 'MONTHLY' | 'ANNUAL';
  endsInDays?: number;
  currency?: string;
};
const COVERAGE_CASES: { profile: Profile; policies: PolicyPlan[]; shows: string }[] = [
  {
    shows: 'NO_LIFE (dependants, income known)',
    profile: { age: 36, income: 85_000, dependants: 2 },
    policies: [{ type: 'HEALTH', coverage: 250_000, premium: 180, frequency: 'MONTHLY' }],
  },
  {
    shows: 'NO_HEALTH, LIFE_BELOW_NEED',
    profile: { age: 31, income: 90_000, dependants: 1 },
    policies: [{ type: 'LIFE', coverage: 300_000, premium: 45, frequency: 'MONTHLY' }],
  },
  {
    shows: 'AGE_NO_HEALTH, AGE_NO_ACCIDENT',
    profile: { age: 61, income: 70_000, dependants: 0 },
    policies: [{ type: 'LIFE', coverage: 800_000, premium: 95, frequency: 'MONTHLY' }],
  },
  {
    shows: 'TOTAL_BELOW_FLOOR',
    profile: { age: 42, income: 60_000, dependants: 0 },
    policies: [{ type: 'HOME', coverage: 50_000, premium: 320 }],
  },
  {
    shows: 'EXPIRING_SOON (renewal due)',
    profile: { age: 45, income: 120_000, dependants: 3 },
    policies: [
      { type: 'AUTO', coverage: 40_000, premium: 900, endsInDays: 12 },
      { type: 'ACCIDENT', coverage: 100_000, premium: 240 },
    ],
  },
  {
    shows: 'EXPIRING_SOON (renewal due)',
    profile: { age: 38, income: 95_000, dependants: 0 },
    policies: [{ type: 'HOME', coverage: 450_000, premium: 1_100, endsInDays: 25 }],
  },
  {
    shows: 'PREMIUM_UNAFFORDABLE',
    profile: { age: 29, income: 30_000, dependants: 0 },
    policies: [{ type: 'LIFE', coverage: 200_000, premium: 600, frequency: 'MONTHLY' }],
  },
  {
    shows: 'MIXED_CURRENCY',
    profile: { age: 33, income: 75_000, dependants: 0 },
    policies: [
      { type: 'TRAVEL', coverage: 20_000, premium: 150, currency: 'EUR' },
      { type: 'HEALTH', coverage: 300_000, premium: 160, frequency: 'MONTHLY' },
    ],
  },
];

const attributesFor = (type: PolicyType, name: string, birthDate: string): unknown => {
  const self = [{ name, birthDate, relationship: 'SELF' }];
  switch (type) {
    case 'AUTO':
      return { vehicle: { make: 'Toyota', model: 'Corolla', year: 2021, plate: 'DEMO-123' } };
    case 'HOME':
      return { property: { address: '12 Maple Street', type: 'HOUSE', yearBuilt: 1998, area: 140 } };
    case 'TRAVEL':
      return { insuredPersons: self, destination: 'Lisbon', tripStartDate: dayOffset(40), tripEndDate: dayOffset(54) };
    default:
      return { insuredPersons: self };
  }
};

export type StepReporter = (step: string, count: number) => void;

/** Writes the showcase into a database that has just received the demo staff, customers and rewards. */
export async function seedShowcase(db: Database, report: StepReporter = () => {}): Promise<void> {
  const { prisma } = db;
  const admin = await prisma.staffUser.findFirstOrThrow({ where: { role: 'ADMIN' }, orderBy: { email: 'asc' } });
  const actor: Actor = { id: admin.id, role: admin.role, email: admin.email, name: admin.name };
  const customers = await prisma.customer.findMany({
    orderBy: { number: 'asc' },
    take: 40,
    select: { id: true, firstName: true, lastName: true },
  });
  if (customers.length < 24) throw new Error(`the showcase needs 24 demo customers, found ${customers.length}`);
  const policies = new PolicyService(prisma);
  const claims = new ClaimService(prisma);
  const orders = new OrderService(prisma);
  const feedback = new FeedbackService(prisma);
  const loyalty = new LoyaltyService(prisma, db.transaction);

  // Coverage: customers 0–7 get a known profile and the policies that make their gap certain.
  const created: { id: string; type: PolicyType; customer: number; endsSoon: boolean }[] = [];
  for (const [i, plan] of COVERAGE_CASES.entries()) {
    const customer = customers[i];
    const birthDate = yearsAgo(plan.profile.age);
    await prisma.customer.update({
      where: { id: customer.id },
      data: {
        type: 'INDIVIDUAL',
        status: 'ACTIVE',
        prefCurrency: 'USD',
        birthDate,
        dependants: plan.profile.dependants,
        annualIncome: plan.profile.income === null ? null : new Decimal(plan.profile.income),
        debts: null,
        mortgageBalance: null,
        educationCosts: null,
      },
    });
    for (const p of plan.policies) {
      const input: PolicyCreateData = {
        type: p.type,
        insurer: 'Acme Mutual',
        productName: `${p.type[0]}${p.type.slice(1).toLowerCase()} Standard`,
        premium: new Decimal(p.premium),
        premiumFrequency: p.frequency ?? 'ANNUAL',
        coverageAmount: new Decimal(p.coverage),
        currency: p.currency ?? 'USD',
        startDate: dayOffset(p.endsInDays ? p.endsInDays - 365 : -120),
        endDate: dayOffset(p.endsInDays ?? 245),
        attributes: attributesFor(
          p.type,
          `${customer.firstName} ${customer.lastName}`,
          birthDate.toISOString().slice(0, 10),
        ),
      };
      const policy = await policies.create(actor, customer.id, input);
      created.push({ id: policy.id, type: p.type, customer: i, endsSoon: !!p.endsInDays });
    }
  }
  report('policies', created.length);

  // A renewal in the history (the LIFE policy of customer 2), claims in every state.
  const life = created.find((p) => p.customer === 2 && p.type === 'LIFE')!;
  await policies.renew(actor, life.id, { termMonths: 12, premium: new Decimal(99) });
  const claimPlans: [
    policyIndex: number,
    amount: number,
    path: ('IN_REVIEW' | 'APPROVED' | 'PAID' | 'REJECTED')[],
    description: string,
  ][] = [
    [0, 1_850, ['IN_REVIEW', 'APPROVED', 'PAID'], 'Hospital stay after a fall'],
    [3, 4_200, ['IN_REVIEW'], 'Water damage in the kitchen'],
    [4, 2_300, ['IN_REVIEW', 'APPROVED'], 'Rear-end collision at a junction'],
    [6, 9_000, ['IN_REVIEW', 'REJECTED'], 'Storm damage to the roof (excluded: pre-existing)'],
    [5, 600, [], 'Sprained ankle while hiking'],
  ];
  for (const [index, amount, path, description] of claimPlans) {
    const claim = await claims.file(actor, created[index].id, {
      amount: new Decimal(amount),
      description,
      incidentDate: dayOffset(-20),
    });
    for (const status of path)
      await claims.transition(actor, claim.id, {
        status,
        note: status === 'REJECTED' ? 'Not covered by the policy terms' : null,
      });
  }
  report('claims', claimPlans.length);

  // Orders for customers 0–15 (completed ones earn points), feedback (accepted for 7 days) on recent ones.
  let orderCount = 0;
  let feedbackCount = 0;
  const ratings = [5, 4, 2, 5, 3, 1, 4, 5];
  for (let i = 0; i < 16; i++) {
    const customer = customers[i];
    const completed = await orders.record(actor, customer.id, {
      number: `DEMO-${String(i * 2 + 1).padStart(5, '0')}`,
      total: new Decimal(40 + i * 37.5),
      currency: 'USD',
      placedAt: new Date(Date.now() - (i < 8 ? 2 + (i % 5) : 30 + i) * DAY),
      status: 'COMPLETED',
    });
    const second = await orders.record(actor, customer.id, {
      number: `DEMO-${String(i * 2 + 2).padStart(5, '0')}`,
      total: new Decimal(15 + i * 11.25),
      currency: 'USD',
      placedAt: new Date(Date.now() - (1 + (i % 3)) * DAY),
      status: (['PENDING', 'PAID', 'SHIPPED', 'DELIVERED'] as const)[i % 4],
    });
    if (i % 5 === 4 && i % 4 < 2) await orders.changeStatus(actor, second.id, { status: 'CANCELLED' });
    orderCount += 2;
    if (i < ratings.length) {
      const given = await feedback.submit(actor, completed.id, {
        customerId: customer.id,
        rating: ratings[i],
        comment: ratings[i] <= 2 ? 'Arrived late and the box was damaged.' : 'Quick delivery, as described.',
      });
      // PENDING → REVIEWED → RESOLVED, or REJECTED.
      if (i % 4 >= 1) await feedback.changeStatus(actor, given.id, i % 4 === 3 ? 'REJECTED' : 'REVIEWED');
      if (i % 4 === 2) await feedback.changeStatus(actor, given.id, 'RESOLVED');
      feedbackCount++;
    }
  }
  report('orders', orderCount);
  report('feedback', feedbackCount);

  // Loyalty: members in every tier, redemptions, and points that expired.
  const key = (what: string, i: number) => `demo:${what}:${i}`;
  const tiers: [customer: number, points: number][] = [
    [16, 650],
    [17, 1_400],
    [18, 2_200],
    [19, 6_500],
    [20, 5_200],
  ];
  for (const [i, points] of tiers)
    await loyalty.earn(actor, customers[i].id, { points, reason: 'Welcome campaign', idempotencyKey: key('earn', i) });
  const coffee = await prisma.reward.findUniqueOrThrow({ where: { name: 'Coffee voucher' } });
  const cinema = await prisma.reward.findUniqueOrThrow({ where: { name: 'Cinema ticket' } });
  await loyalty.redeemReward(actor, customers[17].id, { rewardId: coffee.id, idempotencyKey: key('coffee', 17) });
  await loyalty.redeemReward(actor, customers[19].id, { rewardId: cinema.id, idempotencyKey: key('cinema', 19) });
  await loyalty.redeem(actor, customers[18].id, {
    points: 300,
    reason: 'Paid part of an order with points',
    idempotencyKey: key('redeem', 18),
  });
  // Points earned 14 months ago have expired (lots last 12 months): the expiry writes EXPIRE entries.
  const longAgo = new Date(Date.now() - 425 * DAY);
  for (const i of [21, 22, 23]) {
    await loyalty.earn(
      actor,
      customers[i].id,
      { points: 200 + i * 10, reason: 'Spring promotion', idempotencyKey: key('old', i) },
      { now: longAgo },
    );
  }
  const expired = await loyalty.expire(actor, {});
  report('loyalty activity', tiers.length + 3 + 3 + expired.accounts);
}
