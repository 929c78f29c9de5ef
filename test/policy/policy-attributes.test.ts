import type { PolicyType } from '../../src/generated/prisma/enums';
import { maskAttributes, POLICY_ATTRIBUTES, validateAttributes } from '../../src/modules/policy/policy.attributes';
import { type DomainError, Validator } from '../../src/shared/domain-error';
import { ATTRIBUTES } from './policy.documents';

/** The problems as "field.path: code" strings (paths relative to attributes). */
function problems(type: PolicyType, attributes: unknown): string[] {
  const v = new Validator();
  validateAttributes(v, type, attributes, []);
  try {
    v.throwIfInvalid();
    return [];
  } catch (error) {
    return (error as DomainError).issues.map((i) => `${i.field!.join('.')}: ${i.code}`);
  }
}

const person = { name: 'Kim Lee', birthDate: '1990-02-03' };

describe('type-specific policy attributes', () => {
  it.each(Object.keys(POLICY_ATTRIBUTES) as PolicyType[])('accepts valid %s attributes', (type) => {
    expect(problems(type, ATTRIBUTES[type])).toEqual([]);
  });

  it.each([
    ['AUTO', {}, ['vehicle: VALIDATION']],
    ['AUTO', { vehicle: { make: 'VW', model: 'Up', year: 2015 } }, []],
    ['AUTO', { vehicle: { make: 'VW', model: 'Up', year: 2015.5 } }, ['vehicle.year: VALIDATION']],
    ['AUTO', { vehicle: { make: '', model: 'Up', year: 2015 } }, ['vehicle.make: VALIDATION']],
    [
      'AUTO',
      { vehicle: { make: 'VW', model: 'Up', year: 2015, vin: 'WVWZZZ1JZXW00000I' } },
      ['vehicle.vin: VALIDATION'],
    ],
    ['AUTO', { vehicle: { make: 'VW', model: 'Up', year: 2015, turbo: true } }, ['vehicle.turbo: VALIDATION']],
    ['AUTO', { vehicle: 'VW Up' }, ['vehicle: VALIDATION']],
    ['HOME', { property: { address: '2 Elm Rd', type: 'CASTLE' } }, ['property.type: VALIDATION']],
    ['HOME', { property: { address: '2 Elm Rd', type: 'APARTMENT', area: 0 } }, ['property.area: VALIDATION']],
    ['HOME', { property: { address: '2 Elm Rd', type: 'APARTMENT', yearBuilt: 1890, area: 55.5 } }, []],
    ['LIFE', { insuredPersons: [] }, ['insuredPersons: VALIDATION']],
    ['LIFE', { insuredPersons: [person, { ...person, relationship: 'SPOUSE' }] }, []],
    [
      'HEALTH',
      { insuredPersons: [{ ...person, relationship: 'COUSIN' }] },
      ['insuredPersons.0.relationship: VALIDATION'],
    ],
    [
      'ACCIDENT',
      { insuredPersons: [{ name: 'A', birthDate: '1990-02-30' }] },
      ['insuredPersons.0.birthDate: VALIDATION'],
    ],
    ['ACCIDENT', { insuredPersons: Array(21).fill(person) }, ['insuredPersons: VALIDATION']],
    ['TRAVEL', { insuredPersons: [person] }, []],
    [
      'TRAVEL',
      { insuredPersons: [person], tripStartDate: '2027-05-10', tripEndDate: '2027-05-01' },
      ['tripEndDate: VALIDATION'],
    ],
    ['TRAVEL', { insuredPersons: [person], destination: 'Peru', hotel: 'X' }, ['hotel: VALIDATION']],
    ['OTHER', { anything: { nested: [1, 2, 3] } }, []],
    ['OTHER', { a: { b: { c: { d: { e: { f: 1 } } } } } }, [': VALIDATION']],
    ['OTHER', { blob: 'x'.repeat(4100) }, [': LIMIT_EXCEEDED']],
    ['AUTO', { blob: 'x'.repeat(17000) }, [': LIMIT_EXCEEDED']],
    ['AUTO', [], [': VALIDATION']],
    ['OTHER', 'text', [': VALIDATION']],
  ] as const)('%s %j → %j', (type, attributes, expected) => {
    expect(problems(type, attributes)).toEqual(expected);
  });

  it('names an unknown key in its message, with what the type expects', () => {
    const v = new Validator();
    validateAttributes(v, 'AUTO', { vehicle: ATTRIBUTES.AUTO.vehicle, colour: 'red' });
    expect(() => v.throwIfInvalid()).toThrow('Unknown attribute "colour" for AUTO policies (expected vehicle)');
  });

  it.each([
    ['AUTO', { vehicle: { make: 'Toyota', model: 'Camry', year: 2020, vin: null, plate: null } }],
    ['HOME', { property: { address: null, type: 'HOUSE', yearBuilt: 1990, area: 120.5 } }],
    ['LIFE', { insuredPersons: [{ name: null, birthDate: null, relationship: 'SELF' }] }],
    ['OTHER', {}],
  ] as const)('masks the personal values of %s attributes for analysts', (type, masked) => {
    expect(maskAttributes(type, ATTRIBUTES[type])).toEqual(masked);
  });
});
