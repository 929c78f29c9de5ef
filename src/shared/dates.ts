/** A PostgreSQL DATE (read by Prisma as midnight UTC) in its wire form "YYYY-MM-DD". */
export const toLocalDate = (date: Date | null | undefined): string | null => (date ? date.toISOString().slice(0, 10) : null);

/** "YYYY-MM-DD" as the UTC-midnight Date that Prisma writes to a DATE column. */
export const fromLocalDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(`${value}T00:00:00.000Z`));

/** Whole years between a birth date and `today` (both UTC). */
export function ageOn(birthDate: Date, today = new Date()): number {
  let age = today.getUTCFullYear() - birthDate.getUTCFullYear();
  const beforeBirthday = today.getUTCMonth() < birthDate.getUTCMonth() || (today.getUTCMonth() === birthDate.getUTCMonth() && today.getUTCDate() < birthDate.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
