// TokenKeys remembers tokens it has verified (src/auth/jwt.ts): the remembered answer must still
// follow the token's time window exactly as a full verification would.
import jwt from 'jsonwebtoken';
import { OWN_AUDIENCE, OWN_ISSUER, TokenKeys } from '../../src/auth/jwt';

const SECRET = 'kQ3v9Xz1P0s8LmN2rT7yB4wE6uJ5hG1cA9dF0eR3tY8=';
const STAFF = '7f1c2a34-5b6d-4e8f-9a0b-1c2d3e4f5a6b';

describe('verified tokens remembered by TokenKeys', () => {
  afterEach(() => jest.useRealTimers());

  it('a token accepted before its expiry is refused once expired, also when it was seen before', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const keys = new TokenKeys({ secret: SECRET, ttlSeconds: 60 });
    const { token } = keys.issue(STAFF, 3);
    expect(keys.verify(token)).toEqual({ kind: 'own', staffId: STAFF, tokenVersion: 3 });
    expect(keys.verify(token)).toEqual({ kind: 'own', staffId: STAFF, tokenVersion: 3 }); // remembered
    jest.setSystemTime(new Date('2026-01-01T00:00:59Z'));
    expect(keys.verify(token)).not.toBeNull();
    jest.setSystemTime(new Date('2026-01-01T00:01:00Z')); // exp: refused from this second on, as jsonwebtoken does
    expect(keys.verify(token)).toBeNull();
    expect(keys.verify(token)).toBeNull();
  });

  it('a token not yet valid (nbf) is refused until then, even after a check', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const keys = new TokenKeys({ secret: SECRET, ttlSeconds: 60 });
    const token = jwt.sign({ ver: 1 }, SECRET, {
      algorithm: 'HS256',
      subject: STAFF,
      issuer: OWN_ISSUER,
      audience: OWN_AUDIENCE,
      notBefore: 30,
      expiresIn: 120,
    });
    expect(keys.verify(token)).toBeNull();
    jest.setSystemTime(new Date('2026-01-01T00:00:30Z'));
    expect(keys.verify(token)).toEqual({ kind: 'own', staffId: STAFF, tokenVersion: 1 });
    jest.setSystemTime(new Date('2026-01-01T00:00:10Z')); // a clock set back: the remembered token is not valid yet again
    expect(keys.verify(token)).toBeNull();
  });

  it('a token signed with another secret is refused every time', () => {
    const keys = new TokenKeys({ secret: SECRET, ttlSeconds: 60 });
    const other = new TokenKeys({ secret: `${SECRET}x`, ttlSeconds: 60 });
    const { token } = other.issue(STAFF, 1);
    expect(other.verify(token)).not.toBeNull();
    expect(keys.verify(token)).toBeNull();
    expect(keys.verify(token)).toBeNull();
  });
});
