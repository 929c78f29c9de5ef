import { Field, InputType, ObjectType } from 'type-graphql';
import { StaffRole } from '../../generated/prisma/enums';
import { Payload } from '../../graphql/payload';
import { EmailAddressScalar } from '../../graphql/scalars';
import { StaffUser } from './staff.type';

@InputType({ description: 'A new member of staff.' })
export class StaffCreateInput {
  @Field(() => EmailAddressScalar, { description: 'Sign-in e-mail; stored in lower case, unique.' }) email!: string;
  @Field(() => String, { description: '1 to 200 characters.' }) name!: string;
  @Field(() => StaffRole) role!: StaffRole;
  @Field(() => String, {
    nullable: true,
    description:
      'Initial password (at least 12 characters, not a common one); omit to have one generated and returned once.',
  })
  password?: string | null;
}

@InputType({ description: 'The new role of a staff member.' })
export class StaffUpdateRoleInput {
  @Field(() => StaffRole) role!: StaffRole;
}

@InputType({ description: 'A new password set by an ADMIN.' })
export class StaffResetPasswordInput {
  @Field(() => String, { nullable: true, description: 'Omit to have one generated and returned once.' }) password?:
    | string
    | null;
}

@ObjectType({ description: 'Result of a staff management mutation.' })
export class StaffPayload extends Payload {
  @Field(() => StaffUser, { nullable: true }) staff?: unknown;
}

@ObjectType({ description: 'Result of staffCreate and staffResetPassword.' })
export class StaffPasswordPayload extends Payload {
  @Field(() => StaffUser, { nullable: true }) staff?: unknown;
  @Field(() => String, {
    nullable: true,
    description: 'The generated password when none was given: shown this once, never again.',
  })
  generatedPassword?: string | null;
}
