import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { Customer } from '../customer/customer.type';
import { analyseCoverage } from './coverage.analysis';
import { CoverageAnalysis } from './coverage.type';

@Resolver(() => Customer)
export class CustomerCoverageResolver {
  @FieldResolver(() => CoverageAnalysis, {
    description:
      "Coverage totals (ACTIVE policies, annualised premiums, in the customer's currency) and gaps with explanations, recommendations and suggested amounts.",
  })
  async coverage(@Root() customer: CustomerRow, @Ctx() ctx: Context): Promise<CoverageAnalysis> {
    // All policies of every customer in the page come in one statement (DataLoader).
    // The thresholds come once per request (coverage_rule_settings, ADMIN-editable).
    const [policies, rules] = await Promise.all([
      ctx.loaders.policiesByCustomerId.load(customer.id),
      ctx.loaders.coverageRules.load('current'),
    ]);
    const analysis = analyseCoverage(customer, policies, new Date(), rules);
    const byId = new Map(policies.map((p) => [p.id, p]));
    return {
      ...analysis,
      gaps: analysis.gaps.map(({ policyId, ...gap }) => ({
        ...gap,
        policy: policyId ? (byId.get(policyId) ?? null) : null,
      })),
    };
  }
}
