import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, type Context } from '../../graphql/context';
import { payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, toConnection, toGlobalId } from '../../graphql/relay';
import type { ApiKey as ApiKeyRow } from '../../generated/prisma/client';
import { ApiKeyCreateInput, ApiKeyPayload, ApiKeySecretPayload } from './apikey.input';
import { scopeOfWireName, type ApiKeyScope } from './apikey.scopes';
import { ApiKey, ApiKeyScopeEnum } from './apikey.type';

const KEY_ADMINS = ['ADMIN' as const];
const ApiKeyConnection = connectionOf(ApiKey, 'ApiKey');

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => ID)
  id(@Root() key: ApiKeyRow): string {
    return toGlobalId('ApiKey', key.id);
  }

  @FieldResolver(() => [ApiKeyScopeEnum])
  scopes(@Root() key: ApiKeyRow): ApiKeyScope[] {
    return key.scopes.map(scopeOfWireName).filter((s): s is ApiKeyScope => s !== undefined);
  }

  @FieldResolver(() => Boolean)
  active(@Root() key: ApiKeyRow): boolean {
    return !key.revokedAt && (!key.expiresAt || key.expiresAt > new Date());
  }

  @Authorized(KEY_ADMINS)
  @Query(() => ApiKeyConnection, { description: 'The API keys of other services, newest first (ADMIN only).' })
  async apiKeys(@Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    return toConnection(await ctx.services.apiKeys.list(page));
  }

  @Authorized(KEY_ADMINS)
  @Mutation(() => ApiKeySecretPayload, {
    description: 'Creates an API key with scopes and an optional expiry (ADMIN only); returns its secret once.',
  })
  apiKeyCreate(
    @Arg('input', () => ApiKeyCreateInput) input: ApiKeyCreateInput,
    @Ctx() ctx: Context,
  ): Promise<ApiKeySecretPayload> {
    return payload(async () => {
      const { key, secret } = await ctx.services.apiKeys.create(actorOf(ctx), input);
      return { apiKey: key, secret };
    });
  }

  @Authorized(KEY_ADMINS)
  @Mutation(() => ApiKeySecretPayload, {
    description:
      'Replaces the secret of an API key (ADMIN only): the old one stops working at once; the new one is returned once.',
  })
  apiKeyRotate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKeySecretPayload> {
    return payload(async () => {
      const { key, secret } = await ctx.services.apiKeys.rotate(actorOf(ctx), decodeId(id, 'ApiKey', ['id']));
      return { apiKey: key, secret };
    });
  }

  @Authorized(KEY_ADMINS)
  @Mutation(() => ApiKeyPayload, {
    description: 'Revokes an API key (ADMIN only): requests with it are refused (401) from now on, on every instance.',
  })
  apiKeyRevoke(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKeyPayload> {
    return payload(async () => ({
      apiKey: await ctx.services.apiKeys.revoke(actorOf(ctx), decodeId(id, 'ApiKey', ['id'])),
    }));
  }
}
