// A customer with something in every section of the export, made through the API.
import { randomUUID } from 'node:crypto';
import { graphql } from '../generated';
import { FeedbackSubmit } from '../feedback/feedback.documents';
import { OrderRecord } from '../order/order.documents';
import { insertPolicy, PolicyCancel } from '../policy/policy.documents';
import { SegmentCreate, SegmentMembersAdd } from '../segment/segment.documents';
import type { StaffKey, TestServer } from '../helpers/server';
import { ConsentChange } from './privacy.documents';

const Create = graphql(`
  mutation PrivacyCustomerCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) { customer { id } userErrors { code field message } }
  }
`);
const Track = graphql(`
  mutation PrivacyTrack($input: EventTrackInput!) {
    eventTrack(input: $input) { event { id } userErrors { code field message } }
  }
`);

/** Personal data the tests look for after erasure and anonymisation. */
export interface RichCustomer {
  id: string;
  globalId: string;
  email: string;
  orderNumber: string;
  feedbackComment: string;
  eventProperty: string;
  policyId: string;
  /** Every personal value given, each unique to this customer. */
  secrets: string[];
}

export async function richCustomer(server: TestServer, who: StaffKey = 'agent'): Promise<RichCustomer> {
  const tag = randomUUID().slice(0, 8);
  const email = `grace-${tag}@example.com`;
  const phone = `+479${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const line1 = `12 Secret Lane ${tag}`;
  const notes = `Prefers calls after 6pm ${tag}`;
  const cancelReason = `moved to ${tag} street`;
  const consentReason = `asked by ${tag}`;
  const created = await server.gql(
    Create,
    {
      input: {
        firstName: 'Grace',
        lastName: `Private${tag}`,
        email,
        phone,
        birthDate: '1980-02-03',
        notes,
        tags: ['vip'],
        consent: { dataProcessing: true, marketing: true },
        addresses: [{ line1, city: 'Oslo', postalCode: '0150', country: 'NO' }],
      },
    },
    who,
  );
  const globalId = created.data!.customerCreate.customer!.id;
  const { id } = await server.db.prisma.customer.findUniqueOrThrow({ where: { email } });
  const orderNumber = `ORD-${tag}`;
  const order = await server.gql(
    OrderRecord,
    {
      customerId: globalId,
      input: {
        number: orderNumber,
        total: '120.50',
        currency: 'EUR',
        placedAt: new Date(Date.now() - 3_600_000).toISOString(),
        status: 'COMPLETED',
      },
    },
    who,
  );
  const feedbackComment = `The courier ${tag} was rude`;
  const feedback = await server.gql(
    FeedbackSubmit,
    {
      orderId: order.data!.orderRecord.order!.id,
      input: { customerId: globalId, rating: 2, comment: feedbackComment },
    },
    who,
  );
  expect(feedback.data!.feedbackSubmit.userErrors).toEqual([]);
  const policy = await insertPolicy(server.db, id);
  await server.gql(PolicyCancel, { id: policy.globalId, input: { reason: cancelReason } }, who);
  const eventProperty = `sku-${tag}`;
  // A client event id is the customer's data too: it is kept in customer_event_keys.
  const eventId = `evt-${tag}`;
  const tracked = await server.gql(
    Track,
    {
      input: {
        type: 'product_view',
        eventId,
        customer: { id: globalId },
        properties: { sku: eventProperty },
        device: { kind: 'mobile', os: 'iOS' },
        sessionId: `s-${tag}`,
      },
    },
    who,
  );
  expect(tracked.data!.eventTrack.userErrors).toEqual([]);
  const segment = await server.gql(SegmentCreate, { input: { name: `Privacy ${tag}`, kind: 'STATIC' } }, 'admin');
  await server.gql(
    SegmentMembersAdd,
    { id: segment.data!.segmentCreate.segment!.id, customerIds: [globalId] },
    'admin',
  );
  await server.gql(
    ConsentChange,
    { id: globalId, input: { marketing: false, source: 'e-mail', reason: consentReason } },
    who,
  );
  const secrets = [
    email,
    phone,
    line1,
    notes,
    cancelReason,
    consentReason,
    orderNumber,
    feedbackComment,
    eventProperty,
    eventId,
  ];
  return { id, globalId, email, orderNumber, feedbackComment, eventProperty, policyId: policy.id, secrets };
}
