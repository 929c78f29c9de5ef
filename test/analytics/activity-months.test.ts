import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

// cohortRetention reads customer_activity_months, which triggers on customer_events and orders
// keep: these tests write through the API and through plain SQL, and read the matrix back.
const Cohorts = graphql(`
  query ActivityCohorts($from: DateTime!, $months: Int) {
    cohortRetention(from: $from, months: $months) { cohort size active }
  }
`);
const Track = graphql(`
  mutation ActivityTrack($input: EventTrackInput!) { eventTrack(input: $input) { duplicate userErrors { code } } }
`);
const TrackBatch = graphql(`
  mutation ActivityTrackBatch($events: [EventTrackInput!]!) { eventTrackBatch(events: $events) { stored failed } }
`);

const DAY = 86_400_000;
const monthStart = (monthsAgo: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};

describe('activity months behind the cohort matrix', () => {
  let server: TestServer;
  const cohort = monthStart(3).toISOString().slice(0, 7);
  const matrix = async (who: 'analyst' | 'agent') => {
    const res = await server.gql(Cohorts, { from: monthStart(3).toISOString(), months: 1 }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.cohortRetention.find((r) => r.cohort === cohort);
  };
  const placedIn = (monthsAgo: number) => new Date(monthStart(monthsAgo).getTime() + 2 * DAY).toISOString();

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['admin', 'agent', 'analyst'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  it('follows order writes (insert, cancel, move, delete) and tracked events, per visibility', async () => {
    const signup = new Date(monthStart(3).getTime() + 3_600_000);
    const mine = await insertCustomer(server.db, { ownerId: server.staffIds.agent, createdAt: signup });
    const theirs = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent, createdAt: signup });
    const gone = await insertCustomer(server.db, {
      ownerId: server.staffIds.agent,
      createdAt: signup,
      status: 'DELETED',
    });
    expect(await matrix('analyst')).toEqual({ cohort, size: 2, active: [0, 0, 0, 0] });

    // Two completed orders in the signup month, one in the month after; one pending (no activity).
    await server.db.sql.query(
      `INSERT INTO orders (number, customer_id, total, currency, status, placed_at) VALUES
         ('AM-1', $1::uuid, 10, 'USD', 'COMPLETED', $2), ('AM-2', $1::uuid, 10, 'USD', 'COMPLETED', $2),
         ('AM-3', $1::uuid, 10, 'USD', 'COMPLETED', $3), ('AM-4', $4::uuid, 10, 'USD', 'PENDING', $3),
         ('AM-5', $5::uuid, 10, 'USD', 'COMPLETED', $3)`,
      [mine.id, placedIn(3), placedIn(2), theirs.id, gone.id],
    );
    expect(await matrix('analyst')).toEqual({ cohort, size: 2, active: [1, 1, 0, 0] });

    // One of the two signup-month orders cancelled: the month is still active; both: it is not.
    await server.db.sql.query(`UPDATE orders SET status = 'CANCELLED' WHERE number = 'AM-1'`);
    expect((await matrix('analyst'))!.active).toEqual([1, 1, 0, 0]);
    await server.db.sql.query(`UPDATE orders SET status = 'CANCELLED' WHERE number = 'AM-2'`);
    expect((await matrix('analyst'))!.active).toEqual([0, 1, 0, 0]);
    // Completing the pending order of the other customer, then moving it a month later.
    await server.db.sql.query(`UPDATE orders SET status = 'COMPLETED' WHERE number = 'AM-4'`);
    expect((await matrix('analyst'))!.active).toEqual([0, 2, 0, 0]);
    await server.db.sql.query(`UPDATE orders SET placed_at = $1 WHERE number = 'AM-4'`, [placedIn(1)]);
    expect((await matrix('analyst'))!.active).toEqual([0, 1, 1, 0]);
    await server.db.sql.query(`DELETE FROM orders WHERE number = 'AM-3'`);
    expect((await matrix('analyst'))!.active).toEqual([0, 0, 1, 0]);

    // Events through the API: one alone, then a batch naming both customers (twice the same month).
    const tracked = await server.gql(Track, { input: { type: 'login', customer: { id: mine.globalId } } }, 'agent');
    expect(tracked.data!.eventTrack.userErrors).toEqual([]);
    expect((await matrix('analyst'))!.active).toEqual([0, 0, 1, 1]);
    const batch = await server.gql(
      TrackBatch,
      {
        events: [
          { type: 'page_view', customer: { id: theirs.globalId } },
          { type: 'page_view', customer: { email: theirs.email } },
          { type: 'page_view', customer: { id: mine.globalId }, occurredAt: placedIn(3) },
        ],
      },
      'admin',
    );
    expect(batch.data!.eventTrackBatch).toEqual({ stored: 3, failed: 0 });
    expect(await matrix('analyst')).toEqual({ cohort, size: 2, active: [1, 0, 1, 2] });
    // The agent sees only their own customer (the deleted one counts nowhere).
    expect(await matrix('agent')).toEqual({ cohort, size: 1, active: [1, 0, 0, 1] });
  });

  // The event trigger skips its rollup probe for events in the month of the customer's latest
  // event (customers.last_event_month): events arriving out of order must still mark their months.
  it('marks every month that has an event, in whatever order the events arrive', async () => {
    const customer = await insertCustomer(server.db, { createdAt: new Date(monthStart(4).getTime() + 3_600_000) });
    const at = (monthsAgo: number) => new Date(monthStart(monthsAgo).getTime() + 5 * DAY).toISOString();
    const marked = async () =>
      (
        await server.db.sql.query<{ month: string }>(
          `SELECT to_char(month, 'YYYY-MM') AS month FROM customer_activity_months
           WHERE customer_id = $1::uuid AND events ORDER BY month`,
          [customer.id],
        )
      ).map((r) => r.month);
    const recount = async () =>
      (
        await server.db.sql.query<{ month: string }>(
          `SELECT DISTINCT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM customer_events
           WHERE customer_id = $1::uuid ORDER BY month`,
          [customer.id],
        )
      ).map((r) => r.month);
    const track = async (monthsAgo: number) => {
      const res = await server.gql(
        Track,
        { input: { type: 'login', customer: { id: customer.globalId }, occurredAt: at(monthsAgo) } },
        'admin',
      );
      expect(res.data!.eventTrack.userErrors).toEqual([]);
    };

    await track(1);
    await track(3); // back-dated, behind the month the customer is known for
    await track(1); // the known month again: nothing new to mark
    expect(await marked()).toEqual(await recount());
    expect(await marked()).toHaveLength(2);
    const batch = await server.gql(
      TrackBatch,
      {
        events: [
          { type: 'page_view', customer: { id: customer.globalId }, occurredAt: at(2) },
          { type: 'page_view', customer: { id: customer.globalId }, occurredAt: at(0) },
          { type: 'page_view', customer: { id: customer.globalId }, occurredAt: at(4) },
        ],
      },
      'admin',
    );
    expect(batch.data!.eventTrackBatch).toEqual({ stored: 3, failed: 0 });
    // A writer outside the API (an import) goes through the same trigger.
    await server.db.sql.query(
      `INSERT INTO customer_events (customer_id, type, occurred_at) VALUES ($1::uuid, 'import', $2::timestamptz)`,
      [customer.id, new Date(monthStart(3).getTime() + 9 * DAY).toISOString()],
    );
    expect(await marked()).toEqual(await recount());
    expect(await marked()).toHaveLength(5);
  });
});
