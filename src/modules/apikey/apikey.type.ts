import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars';
import { API_KEY_SCOPES, type ApiKeyScope } from './apikey.scopes';

export const ApiKeyScopeEnum = Object.fromEntries(API_KEY_SCOPES.map((s) => [s, s])) as { [K in ApiKeyScope]: K };
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description:
    'What an API key may call. Wire names (docs, logs): EVENTS_WRITE = events:write, CUSTOMERS_READ = customers:read, and so on (lower case, ":" for "_").',
  valuesConfig: {
    EVENTS_WRITE: { description: 'events:write: eventTrack, eventTrackBatch.' },
    CUSTOMERS_READ: { description: 'customers:read: customer, customers (personal data unmasked).' },
    CUSTOMERS_WRITE: { description: 'customers:write: customerCreate/Update/ChangeStatus and the address mutations.' },
    ORDERS_READ: { description: 'orders:read: order.' },
    ORDERS_WRITE: { description: 'orders:write: orderRecord, orderChangeStatus.' },
    LOYALTY_READ: { description: 'loyalty:read: rewards.' },
    LOYALTY_WRITE: { description: 'loyalty:write: loyaltyPointsEarn, loyaltyPointsRedeem, loyaltyRewardRedeem.' },
    POLICIES_READ: { description: 'policies:read: policy, policies, policyByNumber, claim.' },
    FEEDBACK_READ: { description: 'feedback:read: feedback.' },
    FEEDBACK_WRITE: { description: 'feedback:write: feedbackSubmit.' },
    ANALYTICS_READ: { description: 'analytics:read: analyticsOverview, cohortRetention, segment, segments.' },
  },
});

@ObjectType({ description: 'A credential of another service (x-api-key header); its secret is never shown again.' })
export class ApiKey {
  @Field(() => ID, { description: 'Opaque global ID.' }) id!: string;
  @Field(() => String, { description: 'What the key is for, e.g. the calling system.' }) name!: string;
  @Field(() => String, { description: 'The visible start of the secret ("cak_…"), to recognise a key.' })
  prefix!: string;
  @Field(() => [ApiKeyScopeEnum], { description: 'What the key may call.' }) scopes!: ApiKeyScope[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'After this the key stops working; null: never.' })
  expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was revoked; null while not.' })
  revokedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Last request with the key (minute precision).' })
  lastUsedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Last time its secret was replaced.' })
  rotatedAt!: Date | null;
  @Field(() => DateTimeScalar, { description: 'When it was created.' }) createdAt!: Date;
  @Field(() => Boolean, { description: 'Neither revoked nor expired.' }) active!: boolean;
}
