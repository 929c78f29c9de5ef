import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DomainError, USER_ERROR_CODES, type UserErrorCode } from '../shared/domain-error';

export const UserErrorCodeEnum = Object.fromEntries(USER_ERROR_CODES.map((c) => [c, c])) as { [K in UserErrorCode]: K };
registerEnumType(UserErrorCodeEnum, {
  name: 'UserErrorCode',
  description: 'Machine-readable reason of an expected failure.',
});

@ObjectType({ description: 'An expected failure of a mutation, reported as data.' })
export class UserError {
  @Field(() => UserErrorCodeEnum) code!: UserErrorCode;
  @Field(() => [String], { nullable: true, description: 'Path of the offending input field, e.g. ["input", "email"].' })
  field!: string[] | null;
  @Field(() => String) message!: string;
}

/** Base of every mutation payload: result fields are nullable and `userErrors` is never null. */
@ObjectType({ description: 'Fields every mutation payload has.' })
export abstract class Payload {
  @Field(() => [UserError], { description: 'Empty when the mutation succeeded.' })
  userErrors!: UserError[];
}

/**
 * The one boundary where service failures become GraphQL data: a DomainError turns into
 * `userErrors`; anything else propagates as a top-level error.
 */
export async function payload<T extends object>(run: () => Promise<T>): Promise<T & { userErrors: UserError[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    if (error instanceof DomainError) return { userErrors: error.issues } as unknown as T & { userErrors: UserError[] };
    throw error;
  }
}

/** Prefixes field paths of issues raised for one item of a list input, e.g. ['ids', '3']. */
export function userErrorsOf(error: unknown, prefix: string[] = []): UserError[] {
  if (error instanceof DomainError)
    return error.issues.map((i) => ({
      ...i,
      field: i.field ? [...prefix, ...i.field] : prefix.length ? prefix : null,
    }));
  throw error;
}
