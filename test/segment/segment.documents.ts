import { graphql } from '../generated';

export const SegmentCreate = graphql(`
  mutation SegmentCreate($input: SegmentCreateInput!) {
    segmentCreate(input: $input) {
      segment { id name kind status memberCount lastCalculatedAt criteria }
      userErrors { code field message }
    }
  }
`);

export const SegmentUpdate = graphql(`
  mutation SegmentUpdate($id: ID!, $input: SegmentUpdateInput!) {
    segmentUpdate(id: $id, input: $input) {
      segment { id name memberCount }
      userErrors { code field message }
    }
  }
`);

export const SegmentRecalculate = graphql(`
  mutation SegmentRecalculate($id: ID!) {
    segmentRecalculate(id: $id) {
      segment { memberCount }
      recalculation { memberCount joined left }
      userErrors { code field message }
    }
  }
`);

export const SegmentMembers = graphql(`
  query SegmentMembers($id: ID!) {
    segment(id: $id) {
      name
      customers(first: 100) { totalCount edges { node { id } } }
      membershipChanges(first: 100) { totalCount edges { node { change customer { id } } } }
    }
  }
`);

export const SegmentMembersAdd = graphql(`
  mutation SegmentMembersAdd($id: ID!, $customerIds: [ID!]!) {
    segmentMembersAdd(id: $id, customerIds: $customerIds) {
      segment { memberCount }
      results { customerId success userErrors { code field } }
      userErrors { code field message }
    }
  }
`);

export const SegmentMembersRemove = graphql(`
  mutation SegmentMembersRemove($id: ID!, $customerIds: [ID!]!) {
    segmentMembersRemove(id: $id, customerIds: $customerIds) {
      segment { memberCount }
      results { customerId success userErrors { code field } }
      userErrors { code field message }
    }
  }
`);

export const SegmentArchive = graphql(`
  mutation SegmentArchive($id: ID!) {
    segmentArchive(id: $id) { segment { status } userErrors { code field message } }
  }
`);

export const SegmentDelete = graphql(`
  mutation SegmentDelete($id: ID!) {
    segmentDelete(id: $id) { deletedSegmentId userErrors { code field message } }
  }
`);

export const SegmentPreviewQuery = graphql(`
  query SegmentPreviewQuery($criteria: SegmentCriteriaInput!, $first: Int) {
    segmentPreview(criteria: $criteria, first: $first) { count customers { id } }
  }
`);

export const CustomerSegments = graphql(`
  query CustomerSegments($id: ID!) {
    customer(id: $id) { segments { name } }
  }
`);

export const CustomersInSegment = graphql(`
  query CustomersInSegment($segmentId: String!) {
    customers(first: 100, filter: { segmentId: $segmentId }) { totalCount edges { node { id } } }
  }
`);

export const SegmentNode = graphql(`
  query SegmentNode($id: ID!) {
    node(id: $id) { __typename id ... on Segment { name memberCount } }
  }
`);
