import {
  consentOutcome,
  consentRequestIssues,
  notificationAllowed,
  reasonIssues,
  type ConsentRequest,
  type ConsentState,
} from '../../src/modules/privacy/privacy.rules';

const both: ConsentState = { dataProcessing: true, marketing: true };
const processingOnly: ConsentState = { dataProcessing: true, marketing: false };
const none: ConsentState = { dataProcessing: false, marketing: false };
const why = { source: 'phone call', reason: 'customer asked' };

describe('consentOutcome', () => {
  it.each<[string, ConsentState, ConsentRequest, ConsentState, [string, boolean, boolean][]]>([
    ['withdraws marketing', both, { marketing: false }, processingOnly, [['MARKETING', true, false]]],
    ['grants marketing', processingOnly, { marketing: true }, both, [['MARKETING', false, true]]],
    [
      'withdrawing data processing withdraws marketing too',
      both,
      { dataProcessing: false },
      none,
      [
        ['DATA_PROCESSING', true, false],
        ['MARKETING', true, false],
      ],
    ],
    [
      'withdraws data processing alone',
      processingOnly,
      { dataProcessing: false },
      none,
      [['DATA_PROCESSING', true, false]],
    ],
    [
      'grants data processing again',
      none,
      { dataProcessing: true },
      processingOnly,
      [['DATA_PROCESSING', false, true]],
    ],
    [
      'grants both at once',
      none,
      { dataProcessing: true, marketing: true },
      both,
      [
        ['DATA_PROCESSING', false, true],
        ['MARKETING', false, true],
      ],
    ],
    ['a flag sent with its current value changes nothing', both, { dataProcessing: true, marketing: true }, both, []],
    ['withdrawing marketing when it is off changes nothing', none, { marketing: false }, none, []],
  ])('%s', (_, current, request, next, changes) => {
    const outcome = consentOutcome(current, { ...why, ...request });
    expect(outcome.issues).toEqual([]);
    expect(outcome.next).toEqual(next);
    expect(outcome.changes.map((c) => [c.kind, c.from, c.to])).toEqual(changes);
  });

  it.each<[string, ConsentState, ConsentRequest]>([
    ['marketing without data processing', none, { marketing: true }],
    ['marketing in the change that withdraws data processing', both, { dataProcessing: false, marketing: true }],
  ])('refuses %s (CONSENT_REQUIRED at input.marketing)', (_, current, request) => {
    expect(consentOutcome(current, { ...why, ...request }).issues).toEqual([
      { code: 'CONSENT_REQUIRED', field: ['input', 'marketing'], message: expect.any(String) },
    ]);
  });
});

describe('consentRequestIssues', () => {
  it.each<[string, ConsentRequest, string[][]]>([
    ['a valid request', { marketing: false, ...why }, []],
    ['no flag', { ...why }, [['input']]],
    ['both flags null', { dataProcessing: null, marketing: null, ...why }, [['input']]],
    ['blank source', { marketing: true, source: '  ', reason: 'x' }, [['input', 'source']]],
    ['source too long', { marketing: true, source: 'x'.repeat(101), reason: 'x' }, [['input', 'source']]],
    ['source of 100 characters', { marketing: true, source: 'x'.repeat(100), reason: 'x' }, []],
    ['blank reason', { marketing: true, source: 'web', reason: '' }, [['input', 'reason']]],
    ['everything missing', {}, [['input'], ['input', 'source'], ['input', 'reason']]],
  ])('%s', (_, request, fields) => {
    expect(consentRequestIssues(request).map((i) => i.field)).toEqual(fields);
  });
});

describe('reasonIssues', () => {
  it.each<[string | null | undefined, number]>([
    [null, 1],
    [undefined, 1],
    ['   ', 1],
    ['x', 0],
    ['x'.repeat(500), 0],
    ['x'.repeat(501), 1],
  ])('%p → %i issue(s)', (reason, count) => {
    expect(reasonIssues(reason, ['input', 'reason'])).toHaveLength(count);
  });
});

describe('notificationAllowed', () => {
  it.each<[Parameters<typeof notificationAllowed>[0], boolean, boolean]>([
    ['WELCOME', true, true],
    ['WELCOME', false, false],
    ['TIER_UPGRADED', false, false],
    ['FEEDBACK_RECEIVED', false, false],
    ['POLICY_CANCELLED', false, true],
    ['CLAIM_STATUS_CHANGED', false, true],
    ['RENEWAL_REMINDER', false, true],
    ['TIER_UPGRADED', true, true],
  ])('%s with data processing %p → %p', (type, dataProcessing, allowed) => {
    expect(notificationAllowed(type, { dataProcessing })).toBe(allowed);
  });
});
