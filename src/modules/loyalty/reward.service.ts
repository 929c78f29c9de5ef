import { isSupervisor, type Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { Prisma, Reward } from '../../generated/prisma/client';
import { DomainError, Validator } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { recordAudit } from '../audit/audit';
import { MAX_POINTS_PER_OPERATION } from './loyalty.tiers';

export interface RewardFields {
  name?: string | null;
  description?: string | null;
  pointsCost?: number | null;
  active?: boolean | null;
  /** null = unlimited. */
  stock?: number | null;
}

const MAX_STOCK = 10_000_000;

/** The rewards catalogue: listing for everyone, changes for MANAGER/ADMIN. */
export class RewardService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Cheapest first (then by id), keyset-paginated. */
  async list(page: PageRequest, activeOnly: boolean): Promise<Page<Reward>> {
    const first = pageSize(page);
    const where: Prisma.RewardWhereInput = activeOnly ? { active: true } : {};
    let after: Prisma.RewardWhereInput | null = null;
    if (page.after) {
      const [cost, id] = decodeCursorAs(page.after, [{ kind: 'int' }, { kind: 'uuid' }]) as [number, string];
      after = { OR: [{ pointsCost: { gt: cost } }, { pointsCost: cost, id: { gt: id } }] };
    }
    const rows = await this.prisma.reward.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ pointsCost: 'asc' }, { id: 'asc' }],
      take: first + 1,
    });
    return pageOf(
      rows,
      first,
      (node) => encodeCursor([node.pointsCost, node.id]),
      page.after,
      () => this.prisma.reward.count({ where }),
    );
  }

  async create(actor: Actor, input: RewardFields): Promise<Reward> {
    requireSupervisor(actor);
    const data = validate(input, false);
    return this.write(async (tx) => {
      const reward = await tx.reward.create({
        data: {
          name: data.name!,
          description: data.description ?? null,
          pointsCost: data.pointsCost!,
          active: data.active ?? true,
          stock: data.stock ?? null,
        },
      });
      await recordAudit(tx, actor, {
        action: 'reward.create',
        entityType: 'Reward',
        entityId: reward.id,
        changedFields: Object.keys(input),
      });
      return reward;
    });
  }

  async update(actor: Actor, id: string, input: RewardFields): Promise<Reward> {
    requireSupervisor(actor);
    const data = validate(input, true);
    return this.write(async (tx) => {
      const changes = Object.fromEntries(
        Object.entries(data).filter(([, v]) => v !== undefined),
      ) as Prisma.RewardUpdateInput;
      const found = await tx.reward.findUnique({ where: { id }, select: { id: true } });
      if (!found) throw new DomainError('NOT_FOUND', 'Reward not found', ['id']);
      const reward = await tx.reward.update({ where: { id }, data: changes });
      await recordAudit(tx, actor, {
        action: 'reward.update',
        entityType: 'Reward',
        entityId: id,
        changedFields: Object.keys(changes),
      });
      return reward;
    });
  }

  private async write(run: (tx: Tx) => Promise<Reward>): Promise<Reward> {
    try {
      return await this.prisma.$transaction(run);
    } catch (error) {
      if (isUniqueViolation(error, 'name'))
        throw new DomainError('DUPLICATE', 'Another reward already has this name', ['input', 'name']);
      throw error;
    }
  }
}

function requireSupervisor(actor: Actor): void {
  if (!isSupervisor(actor))
    throw new DomainError('FORBIDDEN', 'Only a MANAGER or ADMIN may change the rewards catalogue', null);
}

/** Trims and checks the fields; with `partial`, omitted (undefined) fields stay unchanged. */
function validate(input: RewardFields, partial: boolean): RewardFields {
  const v = new Validator();
  const name = input.name === undefined ? undefined : (input.name?.trim() ?? null);
  const description = input.description === undefined ? undefined : input.description?.trim() || null;
  if (!partial || name !== undefined)
    v.check(
      typeof name === 'string' && name.length >= 1 && name.length <= 100,
      ['input', 'name'],
      'name is required (1 to 100 characters)',
    );
  v.check(
    description == null || description.length <= 1000,
    ['input', 'description'],
    'description is at most 1000 characters',
  );
  if (!partial || input.pointsCost !== undefined) {
    const cost = input.pointsCost;
    v.check(
      Number.isInteger(cost) && cost! >= 1 && cost! <= MAX_POINTS_PER_OPERATION,
      ['input', 'pointsCost'],
      `pointsCost must be an integer between 1 and ${MAX_POINTS_PER_OPERATION}`,
    );
  }
  v.check(
    input.stock == null || (Number.isInteger(input.stock) && input.stock >= 0 && input.stock <= MAX_STOCK),
    ['input', 'stock'],
    `stock must be null (unlimited) or an integer between 0 and ${MAX_STOCK}`,
  );
  if (partial) v.check(input.active !== null, ['input', 'active'], 'active cannot be null');
  v.throwIfInvalid();
  return {
    name,
    description,
    pointsCost: input.pointsCost ?? undefined,
    active: input.active ?? undefined,
    stock: input.stock,
  };
}
