// LIKE / ILIKE patterns from user text. Prisma's `contains`, `startsWith`, `endsWith` and
// `equals` with `mode: 'insensitive'` all send the value as (part of) a LIKE pattern without
// escaping it, so `%` and `_` in a search match everyone and a trailing `\` makes PostgreSQL fail
// ("LIKE pattern must not end with escape character"). Every pattern built from user text goes
// through here; `\` is PostgreSQL's default LIKE escape character.

/** The text with LIKE's wildcards and escape character escaped: it then matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Case-insensitive substring match on a Prisma string field. */
export const containsText = (text: string) => ({ contains: escapeLike(text), mode: 'insensitive' as const });

/** Case-insensitive whole-value match on a Prisma string field (Prisma sends it as ILIKE). */
export const equalsTextIgnoringCase = (text: string) => ({ equals: escapeLike(text), mode: 'insensitive' as const });

/** Case-sensitive substring match on a Prisma string field. */
export const containsExactText = (text: string) => ({ contains: escapeLike(text) });
