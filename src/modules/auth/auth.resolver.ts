import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { DateTimeScalar, EmailAddressScalar } from '../../graphql/scalars';
import { StaffUser } from '../staff/staff.type';

@InputType({ description: 'Staff credentials.' })
class LoginInput {
  @Field(() => EmailAddressScalar) email!: string;
  @Field(() => String) password!: string;
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
  @Mutation(() => LoginPayload, { description: 'Exchanges staff e-mail and password for a JWT. The only operation that needs no token.' })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return payload(() => ctx.services.auth.login(input.email, input.password)) as Promise<LoginPayload>;
  }

  @Query(() => StaffUser, { description: 'The staff member the token belongs to.' })
  async me(@Ctx() ctx: Context): Promise<unknown> {
    const actor = actorOf(ctx);
    return (await ctx.loaders.staffById.load(actor.id)) ?? { ...actor, active: true };
  }
}
