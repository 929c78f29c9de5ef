import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { actorOf, type Context } from '../../graphql/context';
import { rateLimitedAsGraphQLError } from '../../graphql/auth-plugin';
import { payload, Payload } from '../../graphql/payload';
import { DateTimeScalar, EmailAddressScalar } from '../../graphql/scalars';
import { StaffUser } from '../staff/staff.type';

@InputType({ description: 'Staff credentials.' })
class LoginInput {
  @Field(() => EmailAddressScalar) email!: string;
  @Field(() => String) password!: string;
}

@InputType({ description: 'Your current password and the new one.' })
class PasswordChangeInput {
  @Field(() => String) currentPassword!: string;
  @Field(() => String, { description: 'At least 12 characters, not a common password, not your e-mail.' })
  newPassword!: string;
}

@ObjectType({ description: 'Result of login: a bearer token for the Authorization header.' })
class LoginPayload extends Payload {
  @Field(() => String, { nullable: true, description: 'JWT to send as `Authorization: Bearer <token>`.' })
  token?: string;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date;
  @Field(() => StaffUser, { nullable: true }) user?: StaffUser;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, {
    description:
      'Exchanges staff e-mail and password for a JWT. The only operation that needs no token. Repeated failures lock the account and the client address for a while: then a top-level RATE_LIMITED error (HTTP 429, Retry-After) answers, even for the right password.',
  })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return rateLimitedAsGraphQLError(
      payload(() => ctx.services.auth.login(input.email, input.password, ctx.clientAddress)),
    ) as Promise<LoginPayload>;
  }

  @Authorized()
  @Mutation(() => LoginPayload, {
    description:
      'Changes your own password. Your other tokens stop working; the payload carries a fresh token for this session.',
  })
  passwordChange(
    @Arg('input', () => PasswordChangeInput) input: PasswordChangeInput,
    @Ctx() ctx: Context,
  ): Promise<LoginPayload> {
    return rateLimitedAsGraphQLError(
      payload(() =>
        ctx.services.auth.changePassword(actorOf(ctx), input.currentPassword, input.newPassword, ctx.clientAddress),
      ),
    ) as Promise<LoginPayload>;
  }

  @Query(() => StaffUser, { description: 'The staff member the token belongs to.' })
  async me(@Ctx() ctx: Context): Promise<unknown> {
    const actor = actorOf(ctx);
    return (await ctx.loaders.staffById.load(actor.id)) ?? { ...actor, active: true };
  }
}
