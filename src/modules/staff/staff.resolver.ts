import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { StaffUser as StaffRow } from '../../generated/prisma/client';
import { toGlobalId } from '../../graphql/relay';
import { StaffUser } from './staff.type';

@Resolver(() => StaffUser)
export class StaffUserResolver {
  @FieldResolver(() => ID)
  id(@Root() staff: StaffRow): string {
    return toGlobalId('StaffUser', staff.id);
  }
}
