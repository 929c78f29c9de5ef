import { randomBytes } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { WebhookSubscription } from '../../generated/prisma/client';
import { NotificationType } from '../../generated/prisma/enums';
import { recordAudit } from '../audit/audit';
import { notFound, Validator } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';

export interface WebhookSubscriptionFields {
  url?: string | null;
  eventTypes?: NotificationType[] | null;
  description?: string | null;
  active?: boolean | null;
}

export interface WebhookSubscriptionChange extends WebhookSubscriptionFields {
  rotateSecret?: boolean | null;
}

/** A subscription and its signing secret, returned only by the mutation that made the secret. */
export interface WithSecret {
  subscription: WebhookSubscription;
  secret: string | null;
}

const MAX_URL_LENGTH = 2_000;
const MAX_DESCRIPTION_LENGTH = 200;
const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(NotificationType));

/** `whsec_` + 32 random bytes: the HMAC key of a subscription (docs/notifications.md). */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Why a URL is refused, or null: absolute http(s), no credentials, no whitespace, bounded length. */
function urlProblem(url: string): string | null {
  if (url.length > MAX_URL_LENGTH) return `url is longer than ${MAX_URL_LENGTH} characters`;
  if (/\s/.test(url)) return 'url must not contain whitespace';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'url must be an absolute http(s) URL';
  if (parsed.username || parsed.password) return 'url must not contain credentials (the signature authenticates)';
  return null;
}

function validate(v: Validator, input: WebhookSubscriptionFields, creating: boolean): void {
  if (creating || input.url != null) {
    const problem = typeof input.url === 'string' ? urlProblem(input.url) : 'url is required';
    v.check(problem === null, ['input', 'url'], problem ?? '');
  }
  if (creating || input.eventTypes != null) {
    const types = input.eventTypes ?? [];
    v.check(types.length > 0, ['input', 'eventTypes'], 'Choose at least one notification type');
    v.check(types.length <= 20, ['input', 'eventTypes'], 'At most 20 notification types');
    v.check(
      types.every((t) => KNOWN_TYPES.has(t)),
      ['input', 'eventTypes'],
      'Unknown notification type',
    );
  }
  v.check(
    (input.description?.length ?? 0) <= MAX_DESCRIPTION_LENGTH,
    ['input', 'description'],
    `description is longer than ${MAX_DESCRIPTION_LENGTH} characters`,
  );
}

const distinct = (types: NotificationType[]) => [...new Set(types)];

/** Webhook subscriptions, managed by ADMIN; every change is audited (never the secret). */
export class WebhookService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(actor: Actor, input: WebhookSubscriptionFields): Promise<WithSecret> {
    const v = new Validator();
    validate(v, input, true);
    v.throwIfInvalid();
    const secret = newSecret();
    const subscription = await this.prisma.$transaction(async (tx) => {
      const created = await tx.webhookSubscription.create({
        data: {
          url: input.url!,
          eventTypes: distinct(input.eventTypes!),
          description: input.description?.trim() || null,
          active: input.active ?? true,
          secret,
        },
      });
      await recordAudit(tx, actor, {
        action: 'webhookSubscription.create',
        entityType: 'WebhookSubscription',
        entityId: created.id,
        changedFields: ['url', 'eventTypes', 'description', 'active', 'secret'],
      });
      return created;
    });
    return { subscription, secret };
  }

  async update(actor: Actor, id: string, input: WebhookSubscriptionChange): Promise<WithSecret> {
    const v = new Validator();
    validate(v, input, false);
    v.throwIfInvalid();
    return this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM webhook_subscriptions WHERE id = ${id}::uuid FOR UPDATE`;
      if (!current) throw notFound('WebhookSubscription');
      const secret = input.rotateSecret ? newSecret() : null;
      const data = {
        ...(input.url != null ? { url: input.url } : {}),
        ...(input.eventTypes != null ? { eventTypes: distinct(input.eventTypes) } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.active != null ? { active: input.active } : {}),
        ...(secret ? { secret } : {}),
      };
      const subscription = await tx.webhookSubscription.update({ where: { id }, data });
      await recordAudit(tx, actor, {
        action: 'webhookSubscription.update',
        entityType: 'WebhookSubscription',
        entityId: id,
        changedFields: Object.keys(data),
      });
      return { subscription, secret };
    });
  }

  /** Removes the subscription with its queued deliveries and its delivery log. */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhookSubscription.deleteMany({ where: { id } });
      if (count === 0) throw notFound('WebhookSubscription');
      await recordAudit(tx, actor, {
        action: 'webhookSubscription.delete',
        entityType: 'WebhookSubscription',
        entityId: id,
      });
    });
  }

  /** Newest first. */
  async list(page: PageRequest): Promise<Page<WebhookSubscription>> {
    const first = pageSize(page);
    let where = {};
    if (page.after) {
      const [at, id] = decodeCursorAs(page.after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
      where = { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
    }
    const rows = await this.prisma.webhookSubscription.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    return pageOf(
      rows,
      first,
      (s) => encodeCursor([s.createdAt.toISOString(), s.id]),
      page.after,
      () => this.prisma.webhookSubscription.count(),
    );
  }
}
