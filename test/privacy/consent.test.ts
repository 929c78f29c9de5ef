// Consent through the API: both flags with source and reason, the history, and what withdrawing
// consent to data processing restricts (docs/privacy.md).
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyEarn } from '../loyalty/loyalty.documents';
import { insertPolicy } from '../policy/policy.documents';
import { PolicyCancel } from '../policy/policy.documents';
import { SegmentCreate, SegmentMembersAdd } from '../segment/segment.documents';
import { Anonymise, ConsentChange, ConsentHistory } from './privacy.documents';

const Track = graphql(`
  mutation PrivacyEventTrack($input: EventTrackInput!) {
    eventTrack(input: $input) { event { id } userErrors { code field message } }
  }
`);
const AnalyticsOne = graphql(`
  mutation PrivacyAnalyticsOne($customerId: ID!) {
    customerAnalyticsRecalculate(customerId: $customerId) { analytics { orderCount } userErrors { code field } }
  }
`);
const MarketingByUpdate = graphql(`
  mutation PrivacyMarketingByUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) { customer { consent { marketing } } userErrors { code field } }
  }
`);

let server: TestServer;
// The server starts slowly on a loaded machine (PGlite, migrations): more than the default hook time.
beforeAll(async () => {
  server = await startTestServer();
}, 180_000);
afterAll(() => server.close());

const why = { source: 'phone call', reason: 'customer asked on the phone' };
const own = () => insertCustomer(server.db, { ownerId: server.staffIds.agent });

describe('customerConsentChange and Customer.consentHistory', () => {
  it('changes marketing with source and reason; the history lists who, when, from, to, source and reason', async () => {
    const customer = await own();
    const granted = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { marketing: true, ...why } },
      'agent',
    );
    expect(granted.data!.customerConsentChange.userErrors).toEqual([]);
    expect(granted.data!.customerConsentChange.customer!.consent).toMatchObject({
      dataProcessing: true,
      marketing: true,
    });
    const withdrawn = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { marketing: false, source: 'web form', reason: 'unsubscribed' } },
      'manager',
    );
    expect(withdrawn.data!.customerConsentChange.customer!.consent).toMatchObject({
      marketing: false,
      marketingGivenAt: null,
    });

    const history = await server.gql(ConsentHistory, { id: customer.globalId, first: 10 }, 'agent');
    expect(history.errors).toBeUndefined();
    const connection = history.data!.customer!.consentHistory;
    expect(connection.totalCount).toBe(2);
    expect(connection.edges.map((e) => ({ ...e.node, id: undefined, changedAt: undefined }))).toEqual([
      {
        kind: 'MARKETING',
        from: true,
        to: false,
        source: 'web form',
        reason: 'unsubscribed',
        changedBy: { name: 'Max Manager' },
      },
      {
        kind: 'MARKETING',
        from: false,
        to: true,
        source: 'phone call',
        reason: why.reason,
        changedBy: { name: 'Alice Agent' },
      },
    ]);
    // Pagination: the second page continues after the first.
    const page1 = await server.gql(ConsentHistory, { id: customer.globalId, first: 1 }, 'agent');
    const page2 = await server.gql(
      ConsentHistory,
      { id: customer.globalId, first: 1, after: page1.data!.customer!.consentHistory.pageInfo.endCursor },
      'agent',
    );
    expect(page2.data!.customer!.consentHistory.edges.map((e) => e.node.source)).toEqual(['phone call']);
    expect(page2.data!.customer!.consentHistory.pageInfo.hasNextPage).toBe(false);
    // Analysts see the history, reasons masked.
    const analyst = await server.gql(ConsentHistory, { id: customer.globalId, first: 10 }, 'analyst');
    expect(analyst.data!.customer!.consentHistory.edges.map((e) => e.node.reason)).toEqual([null, null]);

    const audit = await server.db.prisma.auditEntry.findMany({
      where: { action: 'customer.consent.change', customerId: customer.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.actorId, a.reason, a.changedFields])).toEqual([
      [server.staffIds.agent, why.reason, ['marketingConsent', 'marketingConsentAt']],
      [server.staffIds.manager, 'unsubscribed', ['marketingConsent', 'marketingConsentAt']],
    ]);
  });

  it('sending the current value changes and records nothing', async () => {
    const customer = await own();
    const res = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { dataProcessing: true, ...why } },
      'agent',
    );
    expect(res.data!.customerConsentChange).toMatchObject({ userErrors: [], customer: { version: customer.version } });
    expect(await server.db.prisma.consentChange.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it('withdrawing data processing restricts the customer until it is granted again', async () => {
    const customer = await own();
    const prisma = server.db.prisma;
    await server.gql(ConsentChange, { id: customer.globalId, input: { marketing: true, ...why } }, 'agent');
    const segment = await server.gql(
      SegmentCreate,
      { input: { name: `Static ${randomUUID()}`, kind: 'STATIC' } },
      'admin',
    );
    const segmentId = segment.data!.segmentCreate.segment!.id;
    const added = await server.gql(SegmentMembersAdd, { id: segmentId, customerIds: [customer.globalId] }, 'admin');
    expect(added.data!.segmentMembersAdd.segment!.memberCount).toBe(1);
    expect(
      (await server.gql(AnalyticsOne, { customerId: customer.globalId }, 'agent')).data!.customerAnalyticsRecalculate
        .userErrors,
    ).toEqual([]);
    expect(await prisma.customerAnalytics.count({ where: { customerId: customer.id } })).toBe(1);

    const res = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { dataProcessing: false, source: 'letter', reason: 'withdrew consent' } },
      'agent',
    );
    expect(res.data!.customerConsentChange.userErrors).toEqual([]);
    expect(res.data!.customerConsentChange.customer!.consent).toEqual({
      dataProcessing: false,
      dataProcessingGivenAt: null,
      marketing: false,
      marketingGivenAt: null,
    });
    const history = await server.gql(ConsentHistory, { id: customer.globalId, first: 10 }, 'agent');
    expect(
      history
        .data!.customer!.consentHistory.edges.slice(0, 2)
        .map((e) => [e.node.kind, e.node.from, e.node.to])
        .sort(),
    ).toEqual([
      ['DATA_PROCESSING', true, false],
      ['MARKETING', true, false],
    ]);

    // Segments: left at once (recorded), and cannot be joined again.
    expect(await prisma.segmentMembership.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await prisma.segmentMembershipChange.count({ where: { customerId: customer.id, change: 'LEFT' } })).toBe(1);
    const segmentRow = await prisma.segment.findFirstOrThrow({
      where: { name: segment.data!.segmentCreate.segment!.name },
    });
    expect(segmentRow.memberCount).toBe(0);
    const again = await server.gql(SegmentMembersAdd, { id: segmentId, customerIds: [customer.globalId] }, 'admin');
    expect(again.data!.segmentMembersAdd.results![0]).toMatchObject({
      success: false,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
    // Analytics: snapshot gone, no recalculation.
    expect(await prisma.customerAnalytics.count({ where: { customerId: customer.id } })).toBe(0);
    expect(
      (await server.gql(AnalyticsOne, { customerId: customer.globalId }, 'agent')).data!.customerAnalyticsRecalculate
        .userErrors,
    ).toEqual([{ code: 'CONSENT_REQUIRED', field: ['customerId'] }]);
    // Events: nothing stored.
    const tracked = await server.gql(
      Track,
      { input: { type: 'page_view', customer: { id: customer.globalId } } },
      'agent',
    );
    expect(tracked.data!.eventTrack.userErrors).toEqual([
      { code: 'CONSENT_REQUIRED', field: ['input', 'customer', 'id'], message: expect.any(String) },
    ]);
    expect(await prisma.customerEvent.count({ where: { customerId: customer.id } })).toBe(0);
    // Marketing cannot come back on its own, by either mutation.
    const marketing = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { marketing: true, ...why } },
      'agent',
    );
    expect(marketing.data!.customerConsentChange.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['CONSENT_REQUIRED', ['input', 'marketing']],
    ]);
    const current = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    const byUpdate = await server.gql(
      MarketingByUpdate,
      { id: customer.globalId, input: { version: current.version, marketingConsent: true } },
      'agent',
    );
    expect(byUpdate.data!.customerUpdate.userErrors).toEqual([
      { code: 'CONSENT_REQUIRED', field: ['input', 'marketingConsent'] },
    ]);
    // Notifications: only the legally required ones.
    const before = await prisma.notification.count({ where: { customerId: customer.id } });
    const earned = await server.gql(
      LoyaltyEarn,
      { customerId: customer.globalId, input: { points: 600, reason: 'bonus', idempotencyKey: randomUUID() } },
      'manager',
    );
    expect(earned.data!.loyaltyPointsEarn.account!.tier).toBe('SILVER');
    expect(await prisma.notification.count({ where: { customerId: customer.id } })).toBe(before); // no TIER_UPGRADED
    const policy = await insertPolicy(server.db, customer.id);
    const cancelled = await server.gql(
      PolicyCancel,
      { id: policy.globalId, input: { reason: 'customer moved' } },
      'agent',
    );
    expect(cancelled.data!.policyCancel.userErrors).toEqual([]);
    expect(await prisma.notification.findMany({ where: { customerId: customer.id }, select: { type: true } })).toEqual(
      expect.arrayContaining([{ type: 'POLICY_CANCELLED' }]),
    );
    expect(await prisma.notification.count({ where: { customerId: customer.id, type: 'TIER_UPGRADED' } })).toBe(0);

    // Granted again: tracking works again.
    const regranted = await server.gql(
      ConsentChange,
      { id: customer.globalId, input: { dataProcessing: true, ...why } },
      'agent',
    );
    expect(regranted.data!.customerConsentChange.customer!.consent.dataProcessing).toBe(true);
    const trackedAgain = await server.gql(
      Track,
      { input: { type: 'page_view', customer: { id: customer.globalId } } },
      'agent',
    );
    expect(trackedAgain.data!.eventTrack.userErrors).toEqual([]);
  });

  describe('bad input (SPEC §5): a precise user error and the database unchanged', () => {
    const cases: [string, (id: string) => Record<string, unknown>, [string, string[] | null][]][] = [
      ['no flag', () => ({ ...why }), [['VALIDATION', ['input']]]],
      ['blank source', () => ({ marketing: true, source: ' ', reason: 'r' }), [['VALIDATION', ['input', 'source']]]],
      ['blank reason', () => ({ marketing: true, source: 's', reason: '' }), [['VALIDATION', ['input', 'reason']]]],
      [
        'reason of 501 characters',
        () => ({ marketing: true, source: 's', reason: 'x'.repeat(501) }),
        [['VALIDATION', ['input', 'reason']]],
      ],
      [
        'marketing with data processing withdrawn in the same change',
        () => ({ dataProcessing: false, marketing: true, ...why }),
        [['CONSENT_REQUIRED', ['input', 'marketing']]],
      ],
    ];
    it.each(cases)('%s', async (_, input, errors) => {
      const customer = await own();
      const res = await unchanged(server.db, () =>
        server.gql(ConsentChange, { id: customer.globalId, input: input(customer.globalId) as never }, 'agent'),
      );
      expect(res.data!.customerConsentChange.userErrors.map((e) => [e.code, e.field])).toEqual(errors);
      expectNoLeak(res);
    });

    it.each([
      ['an unknown customer', () => Promise.resolve(toGlobalId('Customer', randomUUID()))],
      ['a malformed id', () => Promise.resolve('not-an-id')],
      [
        'another agent’s customer',
        async () => (await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent })).globalId,
      ],
    ])('%s is NOT_FOUND at id', async (_, idOf) => {
      const id = await idOf();
      const res = await unchanged(server.db, () =>
        server.gql(ConsentChange, { id, input: { marketing: true, ...why } }, 'agent'),
      );
      expect(res.data!.customerConsentChange.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
    });

    it('an anonymised customer has no consents to change (INVALID_TRANSITION)', async () => {
      const customer = await own();
      await server.gql(Anonymise, { id: customer.globalId, input: { reason: 'request' } }, 'manager');
      const res = await unchanged(server.db, () =>
        server.gql(ConsentChange, { id: customer.globalId, input: { dataProcessing: true, ...why } }, 'manager'),
      );
      expect(res.data!.customerConsentChange.userErrors.map((e) => [e.code, e.field])).toEqual([
        ['INVALID_TRANSITION', ['id']],
      ]);
    });

    it('a missing source is refused by GraphQL itself (top-level, nothing written)', async () => {
      const customer = await own();
      const res = await unchanged(server.db, () =>
        server.post(
          {
            query: `mutation { customerConsentChange(id: "${customer.globalId}", input: { marketing: true, reason: "r" }) { userErrors { code } } }`,
          },
          'agent',
        ),
      );
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectNoLeak(res);
    });
  });
});
