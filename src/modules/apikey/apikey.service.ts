// API keys of other services (ADMIN only, enforced by the resolver): create, list, rotate, revoke.
// The secret is returned once, by create and rotate, and only its SHA-256 is kept. Every change is
// audited in its transaction.
import type { Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import type { ApiKey } from '../../generated/prisma/client';
import { isSaneInstant } from '../../shared/dates';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { recordAudit } from '../audit/audit';
import { API_KEY_SCOPES, scopeWireName, type ApiKeyScope } from './apikey.scopes';
import { generateSecret } from './apikey.secret';

export interface ApiKeyCreateData {
  name: string;
  scopes: ApiKeyScope[];
  expiresAt?: Date | null;
}

export interface WithSecret {
  key: ApiKey;
  /** The whole secret: shown this once, never stored. */
  secret: string;
}

export const MAX_NAME_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cursorOf = (key: ApiKey) => encodeCursor([key.createdAt.toISOString(), key.id]);

export class ApiKeyService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(actor: Actor, data: ApiKeyCreateData, now = new Date()): Promise<WithSecret> {
    const name = data.name.trim();
    const scopes = [...new Set(data.scopes)];
    new Validator()
      .check(
        name.length >= 1 && name.length <= MAX_NAME_LENGTH,
        ['input', 'name'],
        `Name must be 1 to ${MAX_NAME_LENGTH} characters`,
      )
      .check(scopes.length >= 1, ['input', 'scopes'], 'A key needs at least one scope')
      .check(
        scopes.every((s) => (API_KEY_SCOPES as readonly string[]).includes(s)),
        ['input', 'scopes'],
        'Unknown scope',
      )
      .check(
        !data.expiresAt || (isSaneInstant(data.expiresAt) && data.expiresAt > now),
        ['input', 'expiresAt'],
        'expiresAt must be in the future',
      )
      .throwIfInvalid();
    const { secret, prefix, hash } = generateSecret();
    const key = await this.prisma.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          name,
          prefix,
          secretHash: hash,
          scopes: scopes.map(scopeWireName),
          expiresAt: data.expiresAt ?? null,
          createdById: actor.apiKey ? null : actor.id,
        },
      });
      await recordAudit(tx, actor, {
        action: 'apiKey.create',
        entityType: 'ApiKey',
        entityId: created.id,
        changedFields: ['name', 'scopes', ...(data.expiresAt ? ['expiresAt'] : [])],
      });
      return created;
    });
    return { key, secret };
  }

  /** Newest first. */
  async list(request: PageRequest): Promise<Page<ApiKey>> {
    const first = pageSize(request);
    const after = request.after ? decodeCursor(request.after) : null;
    if (
      after &&
      (after.length !== 2 ||
        typeof after[0] !== 'string' ||
        Number.isNaN(Date.parse(after[0])) ||
        typeof after[1] !== 'string' ||
        !UUID.test(after[1]))
    )
      throw new DomainError('VALIDATION', 'after is not a cursor of this list', ['after']);
    const rows = await this.prisma.apiKey.findMany({
      where: after
        ? {
            OR: [
              { createdAt: { lt: new Date(after[0] as string) } },
              { createdAt: new Date(after[0] as string), id: { lt: after[1] as string } },
            ],
          }
        : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    return pageOf(rows, first, cursorOf, request.after, () => this.prisma.apiKey.count());
  }

  /** A new secret for the same key (name, scopes, expiry kept); the old secret stops working at once. */
  async rotate(actor: Actor, id: string): Promise<WithSecret> {
    const { secret, prefix, hash } = generateSecret();
    const key = await this.prisma.$transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (current.revokedAt) throw new DomainError('INVALID_TRANSITION', 'A revoked key cannot be rotated', ['id']);
      const rotated = await tx.apiKey.update({
        where: { id },
        data: { prefix, secretHash: hash, rotatedAt: new Date() },
      });
      await recordAudit(tx, actor, {
        action: 'apiKey.rotate',
        entityType: 'ApiKey',
        entityId: id,
        changedFields: ['secret', 'prefix'],
      });
      return rotated;
    });
    return { key, secret };
  }

  /** The key stops working at once, on every instance (each request reads the key). */
  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (current.revokedAt) throw new DomainError('INVALID_TRANSITION', 'The key is already revoked', ['id']);
      const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      await recordAudit(tx, actor, {
        action: 'apiKey.revoke',
        entityType: 'ApiKey',
        entityId: id,
        changedFields: ['revokedAt'],
      });
      return revoked;
    });
  }

  private async lock(tx: Tx, id: string): Promise<ApiKey> {
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_keys WHERE id = ${id}::uuid FOR UPDATE`;
    const key = row ? await tx.apiKey.findUnique({ where: { id } }) : null;
    if (!key) throw notFound('API key');
    return key;
  }
}
