import {
  maskPayload,
  messageRoute,
  nextAttemptAt,
  renderMessage,
  signatureHeader,
  signPayload,
  verifySignature,
  type Recipient,
} from '../../src/modules/notification/notification.rules';

const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };
const t0 = new Date('2026-01-01T00:00:00.000Z');

describe('nextAttemptAt: exponential backoff, capped, null after the last attempt', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
  ])('after %i failed attempt(s) the next is due %i ms later', (attempts, delay) => {
    expect(nextAttemptAt(attempts, t0, policy)?.getTime()).toBe(t0.getTime() + delay);
  });
  it('caps the delay at maxDelayMs', () => {
    expect(nextAttemptAt(4, t0, { ...policy, maxAttempts: 10 })?.getTime()).toBe(t0.getTime() + 5_000);
    expect(nextAttemptAt(60, t0, { ...policy, maxAttempts: 100 })?.getTime()).toBe(t0.getTime() + 5_000);
  });
  it.each([4, 5])('after %i attempts of 4 there is none (dead letter)', (attempts) => {
    expect(nextAttemptAt(attempts, t0, policy)).toBeNull();
  });
});

const customer: Recipient = {
  status: 'ACTIVE',
  email: 'jane@example.com',
  phone: '+14155550123',
  prefChannel: 'EMAIL',
  marketingConsent: false,
};

describe('messageRoute: channel, consent and recipients', () => {
  it.each([
    ['preferred e-mail', 'WELCOME', null, customer, { channel: 'EMAIL', to: 'jane@example.com' }],
    ['the notification channel wins', 'WELCOME', 'SMS', customer, { channel: 'SMS', to: '+14155550123' }],
    [
      'preferred SMS',
      'CLAIM_STATUS_CHANGED',
      null,
      { ...customer, prefChannel: 'SMS' },
      { channel: 'SMS', to: '+14155550123' },
    ],
    [
      'SMS without a phone',
      'WELCOME',
      'SMS',
      { ...customer, phone: null },
      { channel: null, skipped: 'no phone number for SMS' },
    ],
    [
      'PHONE is not electronic',
      'WELCOME',
      'PHONE',
      customer,
      { channel: null, skipped: 'channel PHONE is not sent electronically' },
    ],
    [
      'POST is not electronic',
      'WELCOME',
      null,
      { ...customer, prefChannel: 'POST' },
      { channel: null, skipped: 'channel POST is not sent electronically' },
    ],
    ['marketing without consent', 'TIER_UPGRADED', null, customer, { channel: null, skipped: 'no marketing consent' }],
    [
      'marketing with consent',
      'TIER_UPGRADED',
      null,
      { ...customer, marketingConsent: true },
      { channel: 'EMAIL', to: 'jane@example.com' },
    ],
    [
      'service message without marketing consent',
      'POLICY_CANCELLED',
      null,
      customer,
      { channel: 'EMAIL', to: 'jane@example.com' },
    ],
    [
      'deleted customer',
      'WELCOME',
      null,
      { ...customer, status: 'DELETED' },
      { channel: null, skipped: 'customer deleted' },
    ],
  ] as const)('%s', (_, type, channel, recipient, expected) => {
    expect(messageRoute(type, channel, recipient as Recipient, null)).toEqual(expected);
  });
  it('sends staff notifications to the staff address, or nowhere without one', () => {
    expect(messageRoute('FEEDBACK_RECEIVED', null, null, 'staff@example.com')).toEqual({
      channel: 'EMAIL',
      to: 'staff@example.com',
    });
    expect(messageRoute('FEEDBACK_RECEIVED', null, null, null)).toEqual({
      channel: null,
      skipped: 'no staff address configured',
    });
  });
});

describe('renderMessage', () => {
  it('has the subject of the type and the scalar fields of the payload', () => {
    expect(renderMessage('CLAIM_STATUS_CHANGED', { claimNumber: 'CL-1', to: 'APPROVED', nested: { a: 1 } })).toEqual({
      subject: 'Your claim was updated',
      text: 'Your claim was updated\n\nclaimNumber: CL-1\nto: APPROVED',
    });
    expect(renderMessage('WELCOME', null).text).toBe('Welcome\n');
  });
  it('shows numbers, booleans and nulls of the payload as text', () => {
    expect(renderMessage('TIER_UPGRADED', { to: 'GOLD', qualifyingPoints: 1200, first: true, reason: null }).text).toBe(
      'Your loyalty tier was upgraded\n\nto: GOLD\nqualifyingPoints: 1200\nfirst: true\nreason: null',
    );
  });
  it.each(['GOLD', 42, [1, 2]])('shows only the subject for a payload that is not an object: %p', (payload) => {
    expect(renderMessage('WELCOME', payload)).toEqual({ subject: 'Welcome', text: 'Welcome\n' });
  });
});

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"x"}';
  it('is the hex HMAC-SHA256 of "<t>.<body>"', () => {
    // Independent value: printf '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signPayload(secret, 1_700_000_000, body)).toBe(
      '80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3',
    );
    expect(signatureHeader(secret, 1_700_000_000, body)).toBe(
      `t=1700000000,v1=${signPayload(secret, 1_700_000_000, body)}`,
    );
  });
  it.each([
    ['the right secret, in the window', secret, body, 1_700_000_100, true],
    ['at the edge of the window', secret, body, 1_700_000_300, true],
    ['outside the window (replay)', secret, body, 1_700_000_301, false],
    ['from the future beyond the window', secret, body, 1_699_999_699, false],
    ['another secret', 'whsec_other', body, 1_700_000_000, false],
    ['a changed body', secret, '{"id":"y"}', 1_700_000_000, false],
  ])('%s', (_, verifyWith, receivedBody, now, ok) => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    expect(verifySignature(verifyWith, header, receivedBody, now)).toBe(ok);
  });
  it.each([null, '', 't=abc,v1=00', 't=1700000000', 't=1700000000,v1=zz', `v1=${'0'.repeat(64)}`])(
    'refuses a malformed header %p',
    (header) => {
      expect(verifySignature(secret, header, body, 1_700_000_000)).toBe(false);
    },
  );
  // The signature must be exactly 64 hex digits: hex decoding stops at the first non-hex character,
  // so anything around a valid signature would otherwise decode to it (or throw on the length).
  it.each([
    ['a valid signature followed by more characters', (v1: string) => `${v1}zz`],
    ['a valid signature after more characters', (v1: string) => `zz${v1}`],
    ['a valid signature after two more hex digits', (v1: string) => `00${v1}`],
  ])('refuses %s (and does not throw)', (_, wrap) => {
    const v1 = signPayload(secret, 1_700_000_000, body);
    expect(verifySignature(secret, `t=1700000000,v1=${wrap(v1)}`, body, 1_700_000_000)).toBe(false);
  });
});

describe('maskPayload (what analysts see)', () => {
  it('keeps the allowed keys and leaves out every other', () => {
    expect(
      maskPayload({
        claimNumber: 'CL-1',
        policyNumber: 'P-1',
        from: 'OPEN',
        to: 'APPROVED',
        reason: 'Jane moved',
        rating: 2,
      }),
    ).toEqual({ from: 'OPEN', to: 'APPROVED', rating: 2 });
  });
  it.each([null, 'text', [1, 2], 3])('gives {} for a payload that is not an object: %p', (payload) => {
    expect(maskPayload(payload)).toEqual({});
  });
});
