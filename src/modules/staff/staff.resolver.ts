import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { StaffUser as StaffRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload } from '../../graphql/payload';
import { decodeId, toGlobalId } from '../../graphql/relay';
import {
  StaffCreateInput,
  StaffPasswordPayload,
  StaffPayload,
  StaffResetPasswordInput,
  StaffUpdateRoleInput,
} from './staff.input';
import { StaffUser } from './staff.type';

const STAFF_ADMINS = ['ADMIN' as const];

@Resolver(() => StaffUser)
export class StaffUserResolver {
  @FieldResolver(() => ID)
  id(@Root() staff: StaffRow): string {
    return toGlobalId('StaffUser', staff.id);
  }

  @Authorized(STAFF_ADMINS)
  @Mutation(() => StaffPasswordPayload, { description: 'Creates a staff user (ADMIN only).' })
  staffCreate(
    @Arg('input', () => StaffCreateInput) input: StaffCreateInput,
    @Ctx() ctx: Context,
  ): Promise<StaffPasswordPayload> {
    return payload(async () => {
      const { staff, generatedPassword } = await ctx.services.staff.create(actorOf(ctx), input);
      return { staff, generatedPassword };
    });
  }

  @Authorized(STAFF_ADMINS)
  @Mutation(() => StaffPayload, {
    description: "Changes a staff user's role (ADMIN only; not your own, and never the last active ADMIN's).",
  })
  staffUpdateRole(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => StaffUpdateRoleInput) input: StaffUpdateRoleInput,
    @Ctx() ctx: Context,
  ): Promise<StaffPayload> {
    return payload(async () => ({
      staff: await ctx.services.staff.updateRole(actorOf(ctx), decodeId(id, 'StaffUser', ['id']), input.role),
    }));
  }

  @Authorized(STAFF_ADMINS)
  @Mutation(() => StaffPayload, {
    description:
      'Deactivates a staff user (ADMIN only): their tokens stop working at once on every instance and they cannot log in.',
  })
  staffDeactivate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<StaffPayload> {
    return payload(async () => ({
      staff: await ctx.services.staff.deactivate(actorOf(ctx), decodeId(id, 'StaffUser', ['id'])),
    }));
  }

  @Authorized(STAFF_ADMINS)
  @Mutation(() => StaffPayload, {
    description:
      'Lets a deactivated staff user log in again (ADMIN only); tokens from before the deactivation stay invalid.',
  })
  staffReactivate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<StaffPayload> {
    return payload(async () => ({
      staff: await ctx.services.staff.reactivate(actorOf(ctx), decodeId(id, 'StaffUser', ['id'])),
    }));
  }

  @Authorized(STAFF_ADMINS)
  @Mutation(() => StaffPasswordPayload, {
    description: "Sets a staff user's password (ADMIN only); their existing tokens stop working.",
  })
  staffResetPassword(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => StaffResetPasswordInput) input: StaffResetPasswordInput,
    @Ctx() ctx: Context,
  ): Promise<StaffPasswordPayload> {
    return payload(async () => {
      const { staff, generatedPassword } = await ctx.services.staff.resetPassword(
        actorOf(ctx),
        decodeId(id, 'StaffUser', ['id']),
        input.password,
      );
      return { staff, generatedPassword };
    });
  }
}
