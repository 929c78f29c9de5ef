import { startTestServer, type TestServer } from '../helpers/server';
import { postTo, sharedSecret, startSecondInstance } from './support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COUNT = '{ customers(first: 1) { totalCount } }';

describe('per-user request rate limit (RATE_LIMIT_PER_MINUTE), summed over instances in the database', () => {
  const jwtSecret = sharedSecret();
  let a: TestServer;
  let b: Awaited<ReturnType<typeof startSecondInstance>>;

  beforeAll(async () => {
    a = await startTestServer({ jwtSecret, rateLimitPerMinute: 6 });
    b = await startSecondInstance(a, { jwtSecret, rateLimitPerMinute: 6 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('refuses the requests past the budget with RATE_LIMITED, 429 and Retry-After; counts from both instances add up', async () => {
    const token = await a.token('manager');
    // The windows are calendar minutes: do not straddle one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await sleep(60_500 - intoMinute);

    const shared = async () =>
      (
        await a.db.sql.query<{ count: number }>(
          'SELECT coalesce(sum(count), 0)::int AS count FROM request_rate_windows WHERE staff_id = $1',
          [a.staffIds.manager],
        )
      )[0]!.count;
    const sharedReaches = async (n: number) => {
      while ((await shared()) < n) await sleep(100);
      await sleep(100); // the flushing instance reads the total back from the same statement
    };

    for (let i = 0; i < 4; i++) expect((await postTo(a.url, COUNT, {}, token)).status).toBe(200);
    await sharedReaches(4); // A added its 4 to the shared row (within about a second)
    expect((await postTo(b.app.url, COUNT, {}, token)).status).toBe(200);
    await sharedReaches(5); // B added its 1 and learnt the total of 5
    expect((await postTo(b.app.url, COUNT, {}, token)).status).toBe(200);

    const refused = await postTo(b.app.url, COUNT, {}, token);
    expect(refused.status).toBe(429);
    expect(refused.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }),
    ]);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another user has a budget of their own.
    expect((await postTo(b.app.url, COUNT, {}, await a.token('admin'))).status).toBe(200);
  });
});
