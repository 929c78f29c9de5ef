// Typed operations shared by the policy, claim and risk tests, and a few data helpers.
import type { PolicyType } from '../../src/generated/prisma/enums';
import { toGlobalId } from '../../src/graphql/relay';
import { nextPolicyNumber } from '../../src/modules/policy/policy.numbering';
import type { TestDatabase } from '../helpers/database';
import { graphql } from '../generated';

export const PolicyFields = graphql(`
  fragment PolicyFields on Policy {
    id
    policyNumber
    type
    insurer
    productName
    status
    premium
    premiumFrequency
    annualPremium
    coverageAmount
    deductible
    currency
    startDate
    endDate
    attributes
    cancelledAt
    cancellationReason
    version
  }
`);

export const PolicyCreate = graphql(`
  mutation PolicyCreate($customerId: ID!, $input: PolicyCreateInput!) {
    policyCreate(customerId: $customerId, input: $input) {
      policy { ...PolicyFields customer { id } }
      userErrors { code field message }
    }
  }
`);

export const PolicyRenew = graphql(`
  mutation PolicyRenew($id: ID!, $input: PolicyRenewInput!) {
    policyRenew(id: $id, input: $input) {
      policy { ...PolicyFields renewals { previousEndDate newEndDate oldPremium newPremium renewedBy { name } } premiumHistory { oldPremium newPremium reason } }
      userErrors { code field message }
    }
  }
`);

export const PolicyCancel = graphql(`
  mutation PolicyCancel($id: ID!, $input: PolicyCancelInput!) {
    policyCancel(id: $id, input: $input) {
      policy { ...PolicyFields }
      userErrors { code field message }
    }
  }
`);

export const PolicyUpdate = graphql(`
  mutation PolicyUpdate($id: ID!, $input: PolicyUpdateInput!) {
    policyUpdate(id: $id, input: $input) {
      policy { ...PolicyFields }
      userErrors { code field message }
    }
  }
`);

export const PolicyPremiumChange = graphql(`
  mutation PolicyPremiumChange($id: ID!, $input: PolicyPremiumChangeInput!) {
    policyPremiumChange(id: $id, input: $input) {
      policy { ...PolicyFields premiumHistory { oldPremium newPremium reason changedAt changedBy { name } } }
      userErrors { code field message }
    }
  }
`);

export const ClaimFile = graphql(`
  mutation ClaimFile($policyId: ID!, $input: ClaimFileInput!) {
    claimFile(policyId: $policyId, input: $input) {
      claim { id claimNumber amount currency status description incidentDate filedAt policy { policyNumber } }
      userErrors { code field message }
    }
  }
`);

export const ClaimTransition = graphql(`
  mutation ClaimTransition($id: ID!, $input: ClaimTransitionInput!) {
    claimTransition(id: $id, input: $input) {
      claim { id status statusNote decidedAt paidAt }
      userErrors { code field message }
    }
  }
`);

/** Calendar date `days` from today (UTC), as "YYYY-MM-DD". */
export function day(days = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);
}

/** Valid attributes of each type. */
export const ATTRIBUTES: Record<PolicyType, Record<string, unknown>> = {
  AUTO: { vehicle: { make: 'Toyota', model: 'Camry', year: 2020, vin: '4T1BF1FK5CU123456', plate: 'ABC-123' } },
  HOME: { property: { address: '1 Main Street, Springfield', type: 'HOUSE', yearBuilt: 1990, area: 120.5 } },
  LIFE: { insuredPersons: [{ name: 'Pat Doe', birthDate: '1980-05-01', relationship: 'SELF' }] },
  HEALTH: { insuredPersons: [{ name: 'Pat Doe', birthDate: '1980-05-01' }] },
  ACCIDENT: { insuredPersons: [{ name: 'Pat Doe', birthDate: '1980-05-01' }] },
  TRAVEL: {
    insuredPersons: [{ name: 'Pat Doe', birthDate: '1980-05-01' }],
    destination: 'Japan',
    tripStartDate: '2027-01-01',
    tripEndDate: '2027-01-14',
  },
  OTHER: { note: 'anything goes' },
};

/** A valid PolicyCreateInput; override what a test is about. */
export function policyInput(type: PolicyType = 'AUTO', overrides: Record<string, unknown> = {}) {
  return {
    type,
    insurer: 'Acme Insurance',
    productName: `${type} Standard`,
    premium: '100.00',
    premiumFrequency: 'MONTHLY' as const,
    coverageAmount: '50000.00',
    deductible: '500.00',
    currency: 'USD',
    startDate: day(-30),
    endDate: day(335),
    attributes: ATTRIBUTES[type],
    ...overrides,
  };
}

export interface PolicySeed {
  type?: PolicyType;
  status?: 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'CANCELLED';
  insurer?: string;
  premium?: string;
  coverageAmount?: string;
  startDate?: string;
  endDate?: string;
  createdAt?: Date;
}

/** Inserts a policy straight into the database (numbered from the real counter), for tests not about creating one. */
export async function insertPolicy(db: TestDatabase, customerId: string, seed: PolicySeed = {}) {
  const type = seed.type ?? 'AUTO';
  const number = await db.prisma.$transaction((tx) => nextPolicyNumber(tx, type));
  const policy = await db.prisma.policy.create({
    data: {
      number,
      customerId,
      type,
      insurer: seed.insurer ?? 'Acme Insurance',
      productName: `${type} Standard`,
      status: seed.status ?? 'ACTIVE',
      premium: seed.premium ?? '100',
      premiumFrequency: 'MONTHLY',
      coverageAmount: seed.coverageAmount ?? '50000',
      currency: 'USD',
      startDate: new Date(`${seed.startDate ?? day(-30)}T00:00:00Z`),
      endDate: new Date(`${seed.endDate ?? day(335)}T00:00:00Z`),
      attributes: ATTRIBUTES[type] as object,
      createdAt: seed.createdAt,
    },
  });
  return { ...policy, globalId: toGlobalId('Policy', policy.id) };
}
