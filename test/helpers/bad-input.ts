import type { TestDatabase } from './database';
import type { GraphQLResponse } from './server';
import { databaseSnapshot } from './snapshot';

/** Runs a bad request and asserts that every domain table is exactly as it was before. */
export async function unchanged<T>(db: TestDatabase, run: () => Promise<T>): Promise<T> {
  const before = await databaseSnapshot(db);
  const result = await run();
  expect(await databaseSnapshot(db)).toEqual(before);
  return result;
}

/** No stack trace, SQL text or Prisma internals anywhere in a response. */
export function expectNoLeak(response: GraphQLResponse<unknown>): void {
  const text = JSON.stringify(response);
  for (const error of response.errors ?? []) expect(error.extensions?.stacktrace).toBeUndefined();
  expect(text).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE FROM)\b/);
  expect(text).not.toMatch(/prisma|stacktrace|node_modules|\.ts:\d+/i);
}

/** A top-level error response: exactly one error with `code`, the HTTP status, and nothing leaked. */
export function expectTopLevelError(
  response: GraphQLResponse<unknown>,
  status: number,
  code: string,
): NonNullable<GraphQLResponse<unknown>['errors']>[number] {
  expect({ status: response.status, codes: response.errors?.map((e) => e.extensions?.code) }).toEqual({
    status,
    codes: [code],
  });
  expectNoLeak(response);
  return response.errors![0];
}
