import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { CoverageRuleSet } from './coverage.rules';
import { rulesWithSettings } from './coverage.settings';
import { readCoverageSettings } from './coverage.settings.service';

export const createCoverageLoaders = (prisma: PrismaClient) => ({
  /**
   * The rule table with the stored thresholds and floors, read once per request (one key, one
   * statement), however many customers' coverage the request analyses.
   */
  coverageRules: new DataLoader<'current', CoverageRuleSet>(async (keys) => {
    const rules = rulesWithSettings(await readCoverageSettings(prisma));
    return keys.map(() => rules);
  }),
});
