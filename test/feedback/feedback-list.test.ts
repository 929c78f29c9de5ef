import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { FeedbackFilter } from '../generated/graphql';
import { expectTopLevelError } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { insertFeedback } from './feedback.seed';

const FeedbackList = graphql(`
  query FeedbackList($first: Int, $after: String, $filter: FeedbackFilter) {
    feedback(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id comment rating status customer { id } order { number feedback { comment } } } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
`);

describe('the feedback list', () => {
  let server: TestServer;
  const customers: Record<'agents' | 'others' | 'nobodys', string> = { agents: '', others: '', nobodys: '' };

  beforeAll(async () => {
    server = await startTestServer();
    const a = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const b = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    const c = await insertCustomer(server.db);
    Object.assign(customers, { agents: a.globalId, others: b.globalId, nobodys: c.globalId });
    const at = (iso: string) => new Date(`${iso}T12:00:00.000Z`);
    await insertFeedback(server.db, a.id, { comment: 'f1', rating: 5, status: 'PENDING', createdAt: at('2025-01-10') });
    await insertFeedback(server.db, a.id, {
      comment: 'f2',
      rating: 2,
      status: 'REVIEWED',
      createdAt: at('2025-01-20'),
    });
    await insertFeedback(server.db, b.id, {
      comment: 'f3',
      rating: 1,
      status: 'REJECTED',
      createdAt: at('2025-02-01'),
    });
    await insertFeedback(server.db, c.id, {
      comment: 'f4',
      rating: 4,
      status: 'RESOLVED',
      createdAt: at('2025-02-10'),
    });
    await insertFeedback(server.db, b.id, { comment: 'f5', rating: 3, status: 'PENDING', createdAt: at('2025-02-20') });
  });
  afterAll(() => server.close());

  async function list(filter: FeedbackFilter | null, who: StaffKey = 'admin', first = 20, after: string | null = null) {
    const res = await server.gql(FeedbackList, { first, after, filter }, who);
    expect(res.errors).toBeUndefined();
    const page = res.data!.feedback;
    return { comments: page.edges.map((e) => e.node.comment), totalCount: page.totalCount, page };
  }

  it('lists all feedback newest first, with its order and customer', async () => {
    const { comments, totalCount, page } = await list(null);
    expect(comments).toEqual(['f5', 'f4', 'f3', 'f2', 'f1']);
    expect(totalCount).toBe(5);
    expect(page.edges[0].node).toMatchObject({
      rating: 3,
      status: 'PENDING',
      customer: { id: customers.others },
      order: { feedback: { comment: 'f5' } },
    });
  });

  it.each<[string, FeedbackFilter, string[]]>([
    ['status', { status: ['PENDING'] }, ['f5', 'f1']],
    ['several statuses', { status: ['REJECTED', 'RESOLVED'] }, ['f4', 'f3']],
    ['a rating range', { ratingMin: 2, ratingMax: 4 }, ['f5', 'f4', 'f2']],
    ['a minimum rating', { ratingMin: 4 }, ['f4', 'f1']],
    [
      'a time range (from inclusive, to exclusive)',
      { from: '2025-01-20T12:00:00.000Z', to: '2025-02-10T12:00:00.000Z' },
      ['f3', 'f2'],
    ],
    ['a customer', { customerId: 'others' }, ['f5', 'f3']],
    [
      'everything at once',
      { customerId: 'agents', status: ['PENDING', 'REVIEWED'], ratingMax: 4, from: '2025-01-01T00:00:00.000Z' },
      ['f2'],
    ],
    ['an unknown customer ID', { customerId: 'bogus' }, []],
  ])('filters by %s', async (_name, filter, expected) => {
    const customerId = filter.customerId
      ? (customers[filter.customerId as keyof typeof customers] ?? filter.customerId)
      : filter.customerId;
    const { comments, totalCount } = await list({ ...filter, customerId });
    expect(comments).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it("agents see only their own customers' feedback", async () => {
    expect((await list(null, 'agent')).comments).toEqual(['f2', 'f1']);
    expect((await list({ customerId: customers.others }, 'agent')).comments).toEqual([]);
    expect((await list(null, 'otherAgent')).comments).toEqual(['f5', 'f3']);
    expect((await list(null, 'analyst')).totalCount).toBe(5);
  });

  it('pages with first and after', async () => {
    const one = await list(null, 'admin', 2);
    expect(one.comments).toEqual(['f5', 'f4']);
    expect(one.page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const two = await list(null, 'admin', 2, one.page.pageInfo.endCursor);
    expect(two.comments).toEqual(['f3', 'f2']);
    const three = await list(null, 'admin', 2, two.page.pageInfo.endCursor);
    expect(three.comments).toEqual(['f1']);
    expect(three.page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it.each<[string, FeedbackFilter, string[]]>([
    ['ratingMin below 1', { ratingMin: 0 }, ['filter', 'ratingMin']],
    ['ratingMax above 5', { ratingMax: 6 }, ['filter', 'ratingMax']],
    ['ratingMin above ratingMax', { ratingMin: 4, ratingMax: 2 }, ['filter', 'ratingMax']],
    ['to before from', { from: '2025-02-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }, ['filter', 'to']],
  ])('%s is a BAD_USER_INPUT error naming the field', async (_name, filter, field) => {
    const res = await server.gql(FeedbackList, { first: 5, filter });
    expect(expectTopLevelError(res, 200, 'BAD_USER_INPUT').extensions!.field).toEqual(field);
  });

  it('a malformed cursor is a BAD_USER_INPUT error on after', async () => {
    const res = await server.gql(FeedbackList, {
      first: 5,
      after: toGlobalId('Order', '00000000-0000-0000-0000-000000000000'),
    });
    expect(expectTopLevelError(res, 200, 'BAD_USER_INPUT').extensions!.field).toEqual(['after']);
  });
});
