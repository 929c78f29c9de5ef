import { graphql } from '../generated';

export const ConsentChange = graphql(`
  mutation PrivacyConsentChange($id: ID!, $input: CustomerConsentChangeInput!) {
    customerConsentChange(id: $id, input: $input) {
      customer {
        id
        version
        consent { dataProcessing dataProcessingGivenAt marketing marketingGivenAt }
      }
      userErrors { code field message }
    }
  }
`);

export const ConsentHistory = graphql(`
  query PrivacyConsentHistory($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      consentHistory(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id kind from to source reason changedAt changedBy { name } } }
      }
    }
  }
`);

export const Anonymise = graphql(`
  mutation PrivacyAnonymise($id: ID!, $input: CustomerAnonymiseInput!) {
    customerAnonymise(id: $id, input: $input) {
      customer { id status firstName lastName email phone birthDate notes tags totalSpent orderCount consent { dataProcessing marketing } }
      userErrors { code field message }
    }
  }
`);

export const DataExport = graphql(`
  query PrivacyDataExport($id: ID!) {
    customerDataExport(id: $id)
  }
`);

export const Erase = graphql(`
  mutation PrivacyErase($id: ID!) {
    customerDelete(id: $id) {
      deletedCustomerId
      userErrors { code field message }
    }
  }
`);
