// Recognising database errors that services turn into user errors. Prisma reports them as
// P2002 with the driver adapter's details, whose shape differs slightly between adapters.

interface PrismaLikeError {
  code?: string;
  meta?: { target?: string[] | string; driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string }; originalMessage?: string } } };
}

/** True for a unique-constraint violation, optionally only on the given column or index name. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const e = error as PrismaLikeError;
  if (e?.code !== 'P2002') return false;
  if (!column) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  const names = [
    ...(cause?.constraint?.fields ?? []),
    cause?.constraint?.index ?? '',
    cause?.originalMessage ?? '',
    ...(Array.isArray(e.meta?.target) ? e.meta.target : [e.meta?.target ?? '']),
  ];
  return names.some((name) => name === column || name.includes(`_${column}_`) || name.includes(`"${column}"`));
}
