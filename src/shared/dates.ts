/** A PostgreSQL DATE (read by Prisma as midnight UTC) in its wire form "YYYY-MM-DD". */
export const toLocalDate = (date: Date | null | undefined): string | null =>
  date ? date.toISOString().slice(0, 10) : null;

/** toLocalDate of a DATE column, in SQL (answers built by PostgreSQL, src/graphql/plan/answer.ts). */
export const localDateSql = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

/** "YYYY-MM-DD" as the UTC-midnight Date that Prisma writes to a DATE column. */
export const fromLocalDate = (value: string | Date): Date =>
  value instanceof Date ? value : new Date(`${value}T00:00:00.000Z`);

/** Whole years between a birth date and `today` (both UTC). */
export function ageOn(birthDate: Date, today = new Date()): number {
  let age = today.getUTCFullYear() - birthDate.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birthDate.getUTCMonth() ||
    (today.getUTCMonth() === birthDate.getUTCMonth() && today.getUTCDate() < birthDate.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/**
 * The range of instants and calendar dates the API accepts (DateTime and LocalDate inputs,
 * cursors): years 1900 to 9999. Beyond it values only come from mistakes or forgery, and some
 * (year 0, six-digit years) fail in PostgreSQL's casts.
 */
export const EARLIEST_INSTANT = new Date(Date.UTC(1900, 0, 1));
export const LATEST_INSTANT = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

export const isSaneInstant = (date: Date): boolean => {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_INSTANT.getTime() && time <= LATEST_INSTANT.getTime();
};

/** A timestamp as raw SQL returns it (a Date from PostgreSQL, an ISO string from some drivers) as a Date. */
export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
