import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { StaffRole } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';

registerEnumType(StaffRole, {
  name: 'StaffRole',
  description:
    'ADMIN: everything. MANAGER: all customers, no staff management. AGENT: own customers only. ANALYST: read-only, personal data masked.',
});

@ObjectType({ implements: Node, description: 'A member of staff who uses the API.' })
export class StaffUser extends Node {
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => StaffRole) role!: StaffRole;
  @Field(() => Boolean) active!: boolean;
}
