import { Field, InputType, ObjectType } from 'type-graphql';
import { Payload } from '../../graphql/payload';
import { DateTimeScalar } from '../../graphql/scalars';
import type { ApiKeyScope } from './apikey.scopes';
import { ApiKey, ApiKeyScopeEnum } from './apikey.type';

@InputType({ description: 'A new API key.' })
export class ApiKeyCreateInput {
  @Field(() => String, { description: '1 to 100 characters: what the key is for.' }) name!: string;
  @Field(() => [ApiKeyScopeEnum], { description: 'At least one scope.' }) scopes!: ApiKeyScope[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'In the future; omit for a key that does not expire.' })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'Result of apiKeyCreate and apiKeyRotate.' })
export class ApiKeySecretPayload extends Payload {
  @Field(() => ApiKey, { nullable: true }) apiKey?: unknown;
  @Field(() => String, {
    nullable: true,
    description: 'The secret to send as the x-api-key header: shown this once, never again (only its hash is kept).',
  })
  secret?: string | null;
}

@ObjectType({ description: 'Result of apiKeyRevoke.' })
export class ApiKeyPayload extends Payload {
  @Field(() => ApiKey, { nullable: true }) apiKey?: unknown;
}
