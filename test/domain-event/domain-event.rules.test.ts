import { toGlobalId } from '../../src/graphql/global-id';
import {
  envelopeOf,
  eventTypeOf,
  queuesByCustomer,
  retryDelayMs,
  subjectOf,
} from '../../src/modules/domain-event/domain-event.rules';

describe('eventTypeOf: the published type of an audited action', () => {
  it.each([
    ['customer.create', 'customer.created', {}],
    ['customer.update', 'customer.updated', {}],
    ['customer.erase', 'customer.erased', {}],
    ['customer.riskScore.recompute', 'customer.risk_score.recomputed', {}],
    ['order.record', 'order.recorded', {}],
    ['order.status.PENDING->COMPLETED', 'order.completed', { from: 'PENDING', to: 'COMPLETED' }],
    ['order.status.COMPLETED->REFUNDED', 'order.refunded', { from: 'COMPLETED', to: 'REFUNDED' }],
    ['order.status.PENDING->CANCELLED', 'order.cancelled', { from: 'PENDING', to: 'CANCELLED' }],
    ['order.status.PENDING->PAID', 'order.status_changed', { from: 'PENDING', to: 'PAID' }],
    ['claim.status.FILED->IN_REVIEW', 'claim.status_changed', { from: 'FILED', to: 'IN_REVIEW' }],
    ['claim.status.IN_REVIEW->COMPLETED', 'claim.status_changed', { from: 'IN_REVIEW', to: 'COMPLETED' }],
    ['feedback.submit', 'feedback.received', {}],
    ['policy.premiumChange', 'policy.premium_changed', {}],
    ['policy.renew', 'policy.renewed', {}],
    ['policy.cancel', 'policy.cancelled', {}],
    ['loyalty.points.earn', 'loyalty.points.earned', {}],
    ['loyalty.tier.upgrade', 'loyalty.tier.upgraded', {}],
    ['segment.membership.joined', 'segment.membership.joined', {}],
    ['customer.consent.change', 'customer.consent.changed', {}],
    ['loyalty.points.clawback', 'loyalty.points.clawed_back', {}],
    ['policy.premiumPayment.record', 'policy.premium_payment.recorded', {}],
    ['customer.anonymise', 'customer.anonymised', {}],
    ['something.unheardOf', 'something.unheard_of', {}],
    ['', 'unknown', {}],
  ])('%s → %s', (action, type, data) => {
    expect(eventTypeOf(action)).toEqual({ type, data });
  });

  it('never yields a subject token with a NATS wildcard, space or empty token', () => {
    for (const action of ['a.status.X->Y', 'weird action', 'a..b', '*.>', 'x.y z.w']) {
      const subject = subjectOf('customers', eventTypeOf(action).type);
      expect(subject.split('.').every((token) => /^[a-z0-9_]+$/.test(token))).toBe(true);
    }
  });
});

describe('envelopeOf', () => {
  const base = {
    eventId: '5f0c3a5e-8d1f-4b7e-9a7f-2f8d2b8f0e61',
    customerId: '11111111-1111-4111-8111-111111111111',
    occurredAt: new Date('2026-11-26T01:02:03.456Z'),
  };
  it('carries global IDs, the time in ISO 8601 and the status move', () => {
    expect(
      envelopeOf({
        ...base,
        action: 'order.status.PENDING->COMPLETED',
        entityType: 'Order',
        entityId: '22222222-2222-4222-8222-222222222222',
        data: { changedFields: ['status'] },
      }),
    ).toEqual({
      id: base.eventId,
      type: 'order.completed',
      time: '2026-11-26T01:02:03.456Z',
      version: 1,
      source: 'customer-api',
      customerId: toGlobalId('Customer', base.customerId),
      entity: { type: 'Order', id: toGlobalId('Order', '22222222-2222-4222-8222-222222222222') },
      data: { changedFields: ['status'], from: 'PENDING', to: 'COMPLETED' },
    });
  });
  it('keeps ids of non-Node entities as they are and a missing customer as null', () => {
    const envelope = envelopeOf({
      ...base,
      customerId: null,
      action: 'analytics.recalculate',
      entityType: 'CustomerAnalytics',
      entityId: null,
      data: {},
    });
    expect(envelope.customerId).toBeNull();
    expect(envelope.entity).toEqual({ type: 'CustomerAnalytics', id: null });
  });
});

describe('queuesByCustomer', () => {
  it('keeps each customer’s events in write order, one queue per customer (null customers share one)', () => {
    const events = [
      { id: 1, customerId: 'a' },
      { id: 2, customerId: 'b' },
      { id: 3, customerId: 'a' },
      { id: 4, customerId: null },
      { id: 5, customerId: 'b' },
      { id: 6, customerId: null },
    ];
    expect(queuesByCustomer(events).map((q) => q.map((e) => e.id))).toEqual([
      [1, 3],
      [2, 5],
      [4, 6],
    ]);
  });
  it('an empty batch has no queues', () => {
    expect(queuesByCustomer([])).toEqual([]);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [0, 500],
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [6, 16_000],
    [7, 30_000],
    [50, 30_000],
  ])('after %i failures waits %i ms', (failures, ms) => {
    expect(retryDelayMs(failures)).toBe(ms);
  });
});
