// Operations shared by the feedback tests.
import { graphql } from '../generated';

export const FeedbackSubmit = graphql(`
  mutation FeedbackSubmit($orderId: ID!, $input: FeedbackSubmitInput!) {
    feedbackSubmit(orderId: $orderId, input: $input) {
      feedback { id rating comment status createdAt order { id feedback { rating } } customer { id } }
      userErrors { code field message }
    }
  }
`);

export const FeedbackChangeStatus = graphql(`
  mutation FeedbackChangeStatus($id: ID!, $input: FeedbackStatusChangeInput!) {
    feedbackChangeStatus(id: $id, input: $input) {
      feedback { id status }
      userErrors { code field message }
    }
  }
`);
