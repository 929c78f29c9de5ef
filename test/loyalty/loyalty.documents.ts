// Typed GraphQL documents of the loyalty tests (operation names prefixed "Loyalty").
import { graphql } from '../generated';

export const LoyaltyEarn = graphql(`
  mutation LoyaltyEarn($customerId: ID!, $input: LoyaltyPointsInput!) {
    loyaltyPointsEarn(customerId: $customerId, input: $input) {
      replayed
      entry { id type points balanceAfter reason createdAt expiresAt remaining }
      account { tier pointsBalance lifetimePoints qualifyingPoints nextTier pointsToNextTier }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyRedeem = graphql(`
  mutation LoyaltyRedeem($customerId: ID!, $input: LoyaltyPointsInput!) {
    loyaltyPointsRedeem(customerId: $customerId, input: $input) {
      replayed
      entry { id type points balanceAfter reason createdAt }
      account { tier pointsBalance lifetimePoints qualifyingPoints }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyAdjust = graphql(`
  mutation LoyaltyAdjust($customerId: ID!, $input: LoyaltyPointsAdjustInput!) {
    loyaltyPointsAdjust(customerId: $customerId, input: $input) {
      replayed
      entry { id type points balanceAfter reason remaining }
      account { pointsBalance lifetimePoints qualifyingPoints }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyTierSet = graphql(`
  mutation LoyaltyTierSet($customerId: ID!, $input: LoyaltyTierSetInput!) {
    loyaltyTierSet(customerId: $customerId, input: $input) {
      account { tier tierHistory { kind fromTier toTier reason changedBy { name } } }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyTierReview = graphql(`
  mutation LoyaltyTierReview($input: LoyaltyBatchInput) {
    loyaltyTierReview(input: $input) {
      accountsReviewed
      upgraded
      downgraded
      userErrors { code field message }
    }
  }
`);

export const LoyaltyExpire = graphql(`
  mutation LoyaltyExpire($input: LoyaltyBatchInput) {
    loyaltyPointsExpire(input: $input) {
      asOf
      accountsAffected
      pointsExpired
      userErrors { code field message }
    }
  }
`);

export const LoyaltyAccountOf = graphql(`
  query LoyaltyAccountOf($id: ID!, $first: Int, $after: String, $withinDays: Int) {
    customer(id: $id) {
      loyalty {
        id
        tier
        pointsBalance
        lifetimePoints
        qualifyingPoints
        nextTier
        pointsToNextTier
        pointsExpiring(withinDays: $withinDays)
        tierHistory { kind fromTier toTier reason qualifyingPoints }
        transactions(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id type points balanceAfter reason createdAt expiresAt remaining asOf shortfall order { number } } }
        }
      }
    }
  }
`);

export const LoyaltyRewardCreate = graphql(`
  mutation LoyaltyRewardCreate($input: RewardCreateInput!) {
    rewardCreate(input: $input) {
      reward { id name pointsCost active stock }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyRewardUpdate = graphql(`
  mutation LoyaltyRewardUpdate($id: ID!, $input: RewardUpdateInput!) {
    rewardUpdate(id: $id, input: $input) {
      reward { id name pointsCost active stock }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyRewards = graphql(`
  query LoyaltyRewards($first: Int, $after: String, $activeOnly: Boolean) {
    rewards(first: $first, after: $after, activeOnly: $activeOnly) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name pointsCost active stock } }
    }
  }
`);

export const LoyaltyRewardRedeem = graphql(`
  mutation LoyaltyRewardRedeem($customerId: ID!, $input: LoyaltyRewardRedeemInput!) {
    loyaltyRewardRedeem(customerId: $customerId, input: $input) {
      replayed
      entry { id type points balanceAfter reason }
      redemption { pointsSpent reward { name stock } entry { id } }
      account { pointsBalance tier }
      userErrors { code field message }
    }
  }
`);

export const LoyaltyCustomersLedger = graphql(`
  query LoyaltyCustomersLedger($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          loyalty {
            tier
            pointsBalance
            qualifyingPoints
            pointsToNextTier
            pointsExpiring
            transactions(first: 5) { totalCount edges { node { points balanceAfter } } }
          }
        }
      }
    }
  }
`);

export const LoyaltyNode = graphql(`
  query LoyaltyNode($id: ID!) {
    node(id: $id) {
      id
      ... on LedgerEntry { points account { pointsBalance customer { id } } }
      ... on LoyaltyAccount { tier }
      ... on Reward { name }
    }
  }
`);
