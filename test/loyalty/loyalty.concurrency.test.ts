// Concurrency through HTTP with requests in flight at the same time, on PostgreSQL only
// (test/helpers/concurrency.ts). The requests alternate between TWO server instances on the same
// database: correctness comes from row locks, constraints and the unique idempotency index,
// never from the process.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client } from 'pg';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { describeConcurrency, untilLockWait } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, TEST_JWT_SECRET, type GraphQLResponse, type TestServer } from '../helpers/server';
import {
  LoyaltyEarn,
  LoyaltyExpire,
  LoyaltyRedeem,
  LoyaltyRewardCreate,
  LoyaltyRewardRedeem,
  LoyaltyTierReview,
} from './loyalty.documents';
import { expectConsistentLedger, newKey } from './support';

describeConcurrency('loyalty concurrency', () => {
  let server: TestServer;
  let second: { app: App; db: Database } | null = null;
  let urls: string[];
  let token: string;
  const kind = () => server.db.kind;

  beforeAll(async () => {
    server = await startTestServer();
    const db = await openDatabase({ url: server.db.url! });
    second = {
      app: await startApp(
        loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET }),
        { db },
      ),
      db,
    };
    urls = [server.url, second.app.url];
    token = await server.token('admin');
  });
  afterAll(async () => {
    if (second) {
      await second.app.close();
      await second.db.close();
    }
    await server.close();
  });

  /** Sends one request to instance `i % instances`, as the admin. */
  async function send<R, V>(i: number, document: TypedDocumentNode<R, V>, variables: V): Promise<GraphQLResponse<R>> {
    const response = await fetch(urls[i % urls.length], {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { ...((await response.json()) as GraphQLResponse<R>), status: response.status };
  }

  it('50 concurrent redemptions of 100 points on a 1,000-point balance: exactly 10 succeed, 40 are INSUFFICIENT_POINTS', async () => {
    const customer = await insertCustomer(server.db);
    await send(0, LoyaltyEarn, {
      customerId: customer.globalId,
      input: { points: 1000, reason: 'Start', idempotencyKey: newKey('a-start') },
    });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(i, LoyaltyRedeem, {
          customerId: customer.globalId,
          input: { points: 100, reason: 'Race', idempotencyKey: newKey(`a-${i}`) },
        }),
      ),
    );
    for (const res of responses) expect(res.errors).toBeUndefined();
    const payloads = responses.map((r) => r.data!.loyaltyPointsRedeem);
    const succeeded = payloads.filter((p) => p.userErrors.length === 0);
    const failed = payloads.filter((p) => p.userErrors.length > 0);
    const state = await expectConsistentLedger(server.db, customer.id);
    console.log(
      `[${kind()}, ${urls.length} instance(s)] 50 concurrent redemptions of 100 on 1000: ${succeeded.length} succeeded, ${failed.length} failed (${[...new Set(failed.map((p) => p.userErrors[0].code))].join(', ')}), final balance ${state.balance}, ledger sum ${state.ledgerSum}`,
    );
    expect(succeeded).toHaveLength(10);
    expect(failed).toHaveLength(40);
    expect(failed.every((p) => p.userErrors[0].code === 'INSUFFICIENT_POINTS')).toBe(true);
    // Each success saw a different balance: 900, 800, … 0.
    expect(succeeded.map((p) => p.entry!.balanceAfter).sort((a, b) => a - b)).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900,
    ]);
    expect(state.balance).toBe(0);
    expect(state.ledgerSum).toBe(0);
    expect(state.entries).toBe(11);
  });

  it('the same idempotency key sent 20 times at once is applied exactly once, and every response reports the same result', async () => {
    const customer = await insertCustomer(server.db);
    const key = newKey('b-same');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(i, LoyaltyEarn, {
          customerId: customer.globalId,
          input: { points: 70, reason: 'Once', idempotencyKey: key },
        }),
      ),
    );
    for (const res of responses) expect(res.errors).toBeUndefined();
    const payloads = responses.map((r) => r.data!.loyaltyPointsEarn);
    expect(payloads.every((p) => p.userErrors.length === 0)).toBe(true);
    const entries = new Set(payloads.map((p) => JSON.stringify(p.entry)));
    const state = await expectConsistentLedger(server.db, customer.id);
    console.log(
      `[${kind()}, ${urls.length} instance(s)] same key x20: ${payloads.filter((p) => !p.replayed).length} applied, ${payloads.filter((p) => p.replayed).length} replayed, ${entries.size} distinct result(s), balance ${state.balance}, ledger entries ${state.entries}`,
    );
    expect(entries.size).toBe(1);
    expect(payloads[0].entry).toMatchObject({ points: 70, balanceAfter: 70 });
    expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
    expect(state).toMatchObject({ balance: 70, ledgerSum: 70, entries: 1 });
  });

  it('concurrent earns interleaved with expiry runs on one account lose no update', async () => {
    const customer = await insertCustomer(server.db);
    const start = await send(0, LoyaltyEarn, {
      customerId: customer.globalId,
      input: { points: 300, reason: 'Old', idempotencyKey: newKey('c-old') },
    });
    // The 300 were earned 13 months ago: due for expiry.
    await server.db.sql.query(
      `UPDATE loyalty_ledger SET created_at = created_at - interval '13 months', expires_at = expires_at - interval '13 months' WHERE id = $1`,
      [Buffer.from(start.data!.loyaltyPointsEarn.entry!.id, 'base64url').toString().split(':')[1]],
    );
    const requests: Promise<GraphQLResponse<unknown>>[] = [];
    const expiries: Promise<
      GraphQLResponse<{ loyaltyPointsExpire: { pointsExpired?: number | null; userErrors: unknown[] } }>
    >[] = [];
    for (let i = 0; i < 40; i++) {
      requests.push(
        send(i, LoyaltyEarn, {
          customerId: customer.globalId,
          input: { points: 10, reason: 'Race', idempotencyKey: newKey(`c-${i}`) },
        }),
      );
      if (i % 10 === 5) expiries.push(send(i + 1, LoyaltyExpire, { input: { customerId: customer.globalId } }));
    }
    const [earned, expired] = await Promise.all([Promise.all(requests), Promise.all(expiries)]);
    for (const res of [...earned, ...expired]) expect(res.errors).toBeUndefined();
    const pointsExpired = expired.reduce((sum, r) => sum + (r.data!.loyaltyPointsExpire.pointsExpired ?? 0), 0);
    const state = await expectConsistentLedger(server.db, customer.id);
    const expireEntries = await server.db.prisma.ledgerEntry.count({
      where: { accountId: state.accountId, type: 'EXPIRE' },
    });
    console.log(
      `[${kind()}, ${urls.length} instance(s)] 40 concurrent earns of 10 + ${expired.length} expiry runs: expired ${pointsExpired} in ${expireEntries} EXPIRE entr(y/ies), final balance ${state.balance} (expected 400), ledger sum ${state.ledgerSum}`,
    );
    expect(pointsExpired).toBe(300);
    expect(expireEntries).toBe(1);
    expect(state.balance).toBe(400);
    expect(state.lifetime).toBe(700);
  });

  it('30 concurrent earns crossing three tiers on one account: each upgrade recorded once, in order, with its audit entry', async () => {
    const customer = await insertCustomer(server.db);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send(i, LoyaltyEarn, {
          customerId: customer.globalId,
          input: { points: 200, reason: 'Tier race', idempotencyKey: newKey(`t-${i}`) },
        }),
      ),
    );
    for (const res of responses) {
      expect(res.errors).toBeUndefined();
      expect(res.data!.loyaltyPointsEarn.userErrors).toEqual([]);
    }
    const state = await expectConsistentLedger(server.db, customer.id);
    const history = await server.db.sql.query<{ from_tier: string; to_tier: string; qualifying_points: number }>(
      `SELECT from_tier::text, to_tier::text, qualifying_points FROM loyalty_tier_changes
       WHERE account_id = $1 AND kind = 'UPGRADE' ORDER BY created_at`,
      [state.accountId],
    );
    const notifications = await server.db.sql.query<{ payload: unknown }>(
      `SELECT payload FROM notifications WHERE customer_id = $1 AND type = 'TIER_UPGRADED'
       ORDER BY (payload->>'qualifyingPoints')::int`, // created_at is when its transaction began, not when it got the lock
      [customer.id],
    );
    const audit = await server.db.sql.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [state.accountId],
    );
    console.log(
      `[${kind()}, ${urls.length} instance(s)] 30 concurrent earns of 200: tier ${state.tier}, balance ${state.balance}, upgrades ${history.map((h) => h.to_tier).join(' → ')}`,
    );
    expect(state).toMatchObject({ tier: 'PLATINUM', balance: 6000, lifetime: 6000, entries: 30 });
    expect(history).toEqual([
      { from_tier: 'BRONZE', to_tier: 'SILVER', qualifying_points: 600 },
      { from_tier: 'SILVER', to_tier: 'GOLD', qualifying_points: 1000 },
      { from_tier: 'GOLD', to_tier: 'PLATINUM', qualifying_points: 5000 },
    ]);
    expect(notifications.map((n) => n.payload)).toEqual([
      { from: 'BRONZE', to: 'SILVER', qualifyingPoints: 600 },
      { from: 'SILVER', to: 'GOLD', qualifyingPoints: 1000 },
      { from: 'GOLD', to: 'PLATINUM', qualifyingPoints: 5000 },
    ]);
    // Each upgrade's audit entry comes right before that of the earn that caused it.
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'loyalty.points.earn')).toHaveLength(30);
    expect(actions.filter((a) => a === 'loyalty.tier.upgrade')).toHaveLength(3);
    const earnsBeforeUpgrades = actions.flatMap((action, i) =>
      action === 'loyalty.tier.upgrade' ? [actions.slice(0, i).filter((a) => a === 'loyalty.points.earn').length] : [],
    );
    expect(earnsBeforeUpgrades).toEqual([2, 4, 24]);
    actions.forEach((action, i) => {
      if (action === 'loyalty.tier.upgrade') expect(actions[i + 1]).toBe('loyalty.points.earn');
    });
  });

  it('one idempotency key sent at once for two different accounts: one account gets it, the other is IDEMPOTENCY_CONFLICT', async () => {
    const [a, b] = [await insertCustomer(server.db), await insertCustomer(server.db)];
    const key = newKey('d-shared');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(i, LoyaltyEarn, {
          customerId: (i % 2 ? a : b).globalId,
          input: { points: 25, reason: 'Shared', idempotencyKey: key },
        }),
      ),
    );
    for (const res of responses) expect(res.errors).toBeUndefined();
    const [stateA, stateB] = [
      await expectConsistentLedger(server.db, a.id),
      await expectConsistentLedger(server.db, b.id),
    ];
    const winner = stateA.balance > 0 ? 1 : 0; // requests i with i % 2 === winner went to the winning account
    const conflicts = responses.filter((r) => r.data!.loyaltyPointsEarn.userErrors[0]?.code === 'IDEMPOTENCY_CONFLICT');
    console.log(
      `[${kind()}, ${urls.length} instance(s)] one key on two accounts x20: balances ${stateA.balance}/${stateB.balance}, ${conflicts.length} IDEMPOTENCY_CONFLICT`,
    );
    expect(stateA.balance + stateB.balance).toBe(25);
    expect(conflicts).toHaveLength(10);
    expect(
      responses.filter((_, i) => i % 2 === winner).every((r) => r.data!.loyaltyPointsEarn.entry?.balanceAfter === 25),
    ).toBe(true);
  });

  it('concurrent redemptions of a reward with 3 in stock by 12 customers: exactly 3 succeed, the rest are OUT_OF_STOCK', async () => {
    const created = await send(0, LoyaltyRewardCreate, {
      input: { name: `Scarce ${newKey()}`, pointsCost: 100, stock: 3 },
    });
    const rewardId = created.data!.rewardCreate.reward!.id;
    const customers = [];
    for (let i = 0; i < 12; i++) {
      const c = await insertCustomer(server.db);
      await send(i, LoyaltyEarn, {
        customerId: c.globalId,
        input: { points: 150, reason: 'Start', idempotencyKey: newKey('e-start') },
      });
      customers.push(c);
    }
    const responses = await Promise.all(
      customers.map((c, i) =>
        send(i, LoyaltyRewardRedeem, { customerId: c.globalId, input: { rewardId, idempotencyKey: newKey(`e-${i}`) } }),
      ),
    );
    const codes: string[] = responses.map((r) => r.data!.loyaltyRewardRedeem.userErrors[0]?.code ?? 'OK');
    const stock = (
      await server.db.sql.query<{ stock: number }>(
        `SELECT stock FROM rewards WHERE name LIKE 'Scarce %' ORDER BY created_at DESC LIMIT 1`,
      )
    )[0].stock;
    const redemptions = await server.db.prisma.rewardRedemption.count({
      where: { rewardId: Buffer.from(rewardId, 'base64url').toString().split(':')[1] },
    });
    console.log(
      `[${kind()}, ${urls.length} instance(s)] 12 concurrent reward redemptions, stock 3: ${codes.filter((c) => c === 'OK').length} succeeded, ${codes.filter((c) => c === 'OUT_OF_STOCK').length} OUT_OF_STOCK, stock left ${stock}, redemptions ${redemptions}`,
    );
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    expect(codes.filter((c) => c === 'OUT_OF_STOCK')).toHaveLength(9);
    expect(stock).toBe(0);
    expect(redemptions).toBe(3);
    for (const c of customers) await expectConsistentLedger(server.db, c.id);
  });

  it('a tier review counts an earn that committed while it waited for the account: the tier it gave stays', async () => {
    const c = await insertCustomer(server.db, {});
    const [{ id: accountId }] = await server.db.sql.query<{ id: string }>(
      'SELECT id FROM loyalty_accounts WHERE customer_id = $1::uuid',
      [c.id],
    );
    // Another transaction holds the account, as an earn does while it writes its entry.
    const earn = new Client({ connectionString: server.db.url! });
    await earn.connect();
    try {
      await earn.query('BEGIN');
      await earn.query('SELECT id FROM loyalty_accounts WHERE id = $1::uuid FOR UPDATE', [accountId]);
      const review = send(0, LoyaltyTierReview, { input: { customerId: c.globalId } });
      await untilLockWait(server.db, 'the tier review');
      // The earn, dated after the review started: 500 points, BRONZE → SILVER.
      await earn.query(
        `INSERT INTO loyalty_ledger (account_id, type, points, remaining, expires_at, balance_after, reason, created_at)
         VALUES ($1::uuid, 'EARN', 500, 500, now() + interval '1 year', 500, 'Purchase', clock_timestamp())`,
        [accountId],
      );
      await earn.query(
        `UPDATE loyalty_accounts SET tier = 'SILVER', points_balance = 500, lifetime_points = 500 WHERE id = $1::uuid`,
        [accountId],
      );
      await earn.query('COMMIT');
      const res = await review;
      expect(res.data!.loyaltyTierReview).toMatchObject({ accountsReviewed: 1, downgraded: 0, userErrors: [] });
    } finally {
      await earn.end();
    }
    const [account] = await server.db.sql.query<{ tier: string }>(
      'SELECT tier::text FROM loyalty_accounts WHERE id = $1::uuid',
      [accountId],
    );
    expect(account.tier).toBe('SILVER');
  });
});
