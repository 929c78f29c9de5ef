// JOBS_ENABLED and the per-job intervals as src/config.ts reads them from the environment.
import { randomBytes } from 'node:crypto';
import { jobIntervalsFrom, loadConfig } from '../../src/config';

describe('job settings', () => {
  it.each([
    ['test', 'unset', false, {}],
    ['development', 'unset', true, {}],
    ['production', 'unset', true, { JWT_SECRET: randomBytes(48).toString('base64') }],
    ['test', 'true', true, { JOBS_ENABLED: 'true' }],
    ['development', 'off', false, { JOBS_ENABLED: 'off' }],
  ])('NODE_ENV=%s, JOBS_ENABLED %s: scheduler on = %s', (mode, _, enabled, env) => {
    expect(loadConfig({ ...env, NODE_ENV: mode }).jobsEnabled).toBe(enabled);
  });

  it('reads JOB_<NAME>_INTERVAL_MS per job, and the older SEGMENT_RECALC_INTERVAL_SECONDS unless the new one is set', () => {
    expect(jobIntervalsFrom({ JOB_RENEWAL_REMINDERS_INTERVAL_MS: '60000', JOB_TIER_REVIEW_INTERVAL_MS: '0' })).toEqual({
      renewal_reminders: 60_000,
      tier_review: 0,
    });
    expect(jobIntervalsFrom({ SEGMENT_RECALC_INTERVAL_SECONDS: '900' })).toEqual({ segment_recalculation: 900_000 });
    expect(
      jobIntervalsFrom({ SEGMENT_RECALC_INTERVAL_SECONDS: '900', JOB_SEGMENT_RECALCULATION_INTERVAL_MS: '5000' }),
    ).toEqual({ segment_recalculation: 5_000 });
    expect(jobIntervalsFrom({ PATH: '/bin', JOB_X: '1' })).toEqual({});
  });

  it.each(['-1', '1.5', 'soon', '2147483648', '1e6'])(
    'refuses interval "%s" at start, naming the variable',
    (value) => {
      expect(() => jobIntervalsFrom({ JOB_POINTS_EXPIRY_INTERVAL_MS: value })).toThrow(/JOB_POINTS_EXPIRY_INTERVAL_MS/);
    },
  );
});
