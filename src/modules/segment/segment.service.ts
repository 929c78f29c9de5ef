import { ownerScope, type Actor } from '../../auth/actor';
import { BULK_TRANSACTION } from '../../db/bulk';
import type { PrismaClient, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { Customer, Segment } from '../../generated/prisma/client';
import type { SegmentKind, SegmentStatus } from '../../generated/prisma/enums';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace';
import { recordAudit } from '../audit/audit';
import { DomainError, notFound, Validator, type Issue } from '../../shared/domain-error';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { matchingCustomersSql } from './segment.compiler';
import {
  addStaticMembers,
  recalculateMembership,
  removeStaticMembers,
  type RecalculationResult,
} from './segment.membership';
import { lifecycleCriteria } from './segment.lifecycle';
import {
  referencedSegments,
  validateCriteria,
  type Criteria,
  type CriteriaInput,
  type IdDecoder,
} from './segment.rules';

export interface SegmentCreateData {
  name: string;
  description?: string | null;
  kind: SegmentKind;
  criteria?: CriteriaInput | null;
}
export interface SegmentUpdateData {
  name?: string | null;
  description?: string | null;
  criteria?: CriteriaInput | null;
  status?: SegmentStatus | null;
}
export interface MemberItemResult {
  customerId: string;
  ok: boolean;
  issue: Issue | null;
}
export const MAX_MEMBERS_PER_CALL = 1000;

const segmentCursor = (s: Segment) => encodeCursor([s.name, s.id]);

/** Segments and their membership (SPEC §3). Reads apply the actor's visibility to members. */
export class SegmentService {
  /** `decode` turns the global IDs inside criteria into database ids (the API's ID format is not the service's business). */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly decode: IdDecoder,
  ) {}

  async list(request: PageRequest & { status?: SegmentStatus | null }): Promise<Page<Segment>> {
    const first = pageSize(request);
    const after = request.after ? decodeCursor(request.after) : null;
    if (
      after &&
      (after.length !== 2 ||
        typeof after[0] !== 'string' ||
        typeof after[1] !== 'string' ||
        !/^[0-9a-f-]{36}$/i.test(after[1]))
    ) {
      throw new DomainError('VALIDATION', 'after is not a cursor of this list', ['after']);
    }
    const where = request.status ? { status: request.status } : {};
    const rows = await this.prisma.segment.findMany({
      where: after
        ? {
            ...where,
            OR: [{ name: { gt: after[0] as string } }, { name: after[0] as string, id: { gt: after[1] as string } }],
          }
        : where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: first + 1,
    });
    return pageOf(rows, first, segmentCursor, request.after, () => this.prisma.segment.count({ where }));
  }

  async get(id: string): Promise<Segment | null> {
    return this.prisma.segment.findUnique({ where: { id } });
  }

  async create(actor: Actor, data: SegmentCreateData, now = new Date()): Promise<Segment> {
    const name = this.checkName(data.name);
    const criteria = this.checkCriteria(data.kind, data.criteria);
    return this.write(async (tx) => {
      if (criteria) await this.checkReferences(tx, null, criteria.criteria, criteria.refs);
      const segment = await tx.segment.create({
        data: {
          name,
          description: data.description?.trim() || null,
          kind: data.kind,
          criteria: (criteria?.criteria ?? undefined) as InputJsonValue | undefined,
        },
      });
      await recordAudit(tx, actor, {
        action: 'segment.create',
        entityType: 'Segment',
        entityId: segment.id,
        changedFields: ['name', 'kind', 'criteria', 'description'],
      });
      if (criteria) await recalculateMembership(tx, segment.id, criteria.criteria, now);
      return tx.segment.findUniqueOrThrow({ where: { id: segment.id } });
    }, BULK_TRANSACTION);
  }

  async update(actor: Actor, id: string, data: SegmentUpdateData, now = new Date()): Promise<Segment> {
    const v = new Validator();
    v.check(
      data.status !== 'ARCHIVED',
      ['input', 'status'],
      'use segmentArchive to archive a segment',
    ).throwIfInvalid();
    const name = data.name != null ? this.checkName(data.name) : undefined;
    return this.write(async (tx) => {
      const segment = await this.lock(tx, id);
      if (segment.lifecycleStage)
        throw new DomainError('VALIDATION', 'built-in lifecycle segments are maintained by the system', ['id']);
      let criteria: { criteria: Criteria; refs: { id: string; field: string[] }[] } | null = null;
      if (data.criteria != null) {
        criteria = this.checkCriteria(segment.kind, data.criteria);
        await this.checkReferences(tx, id, criteria!.criteria, criteria!.refs);
      }
      const changed = Object.entries({
        name,
        description: data.description,
        criteria: data.criteria,
        status: data.status,
      })
        .filter(([, value]) => value != null)
        .map(([key]) => key);
      await tx.segment.update({
        where: { id },
        data: {
          name,
          description: data.description === undefined ? undefined : data.description?.trim() || null,
          criteria: criteria ? (criteria.criteria as unknown as InputJsonValue) : undefined,
          status: data.status ?? undefined,
        },
      });
      await recordAudit(tx, actor, {
        action: 'segment.update',
        entityType: 'Segment',
        entityId: id,
        changedFields: changed,
      });
      if (criteria && (data.status ?? segment.status) === 'ACTIVE')
        await recalculateMembership(tx, id, criteria.criteria, now);
      return tx.segment.findUniqueOrThrow({ where: { id } });
    }, BULK_TRANSACTION);
  }

  async archive(actor: Actor, id: string): Promise<Segment> {
    return this.write(async (tx) => {
      const segment = await this.lock(tx, id);
      if (segment.lifecycleStage)
        throw new DomainError('VALIDATION', 'built-in lifecycle segments cannot be archived', ['id']);
      if (segment.status === 'ARCHIVED')
        throw new DomainError('INVALID_TRANSITION', 'the segment is already archived', ['id']);
      await recordAudit(tx, actor, {
        action: 'segment.archive',
        entityType: 'Segment',
        entityId: id,
        changedFields: ['status'],
      });
      return tx.segment.update({ where: { id }, data: { status: 'ARCHIVED' } });
    });
  }

  async delete(actor: Actor, id: string): Promise<Segment> {
    return this.write(async (tx) => {
      const segment = await this.lock(tx, id);
      if (segment.lifecycleStage)
        throw new DomainError('VALIDATION', 'built-in lifecycle segments cannot be deleted', ['id']);
      const users = await tx.$queryRawUnsafe<{ name: string }[]>(
        `SELECT name FROM segments WHERE id <> $1::uuid AND jsonb_path_exists(criteria, '$.** ? (@.segmentId == $id)', jsonb_build_object('id', $1::text)) ORDER BY name`,
        id,
      );
      if (users.length > 0)
        throw new DomainError('VALIDATION', `the segment is used by ${users.map((u) => u.name).join(', ')}`, ['id']);
      await recordAudit(tx, actor, {
        action: 'segment.delete',
        entityType: 'Segment',
        entityId: id,
        changedFields: [],
      });
      await tx.segment.delete({ where: { id } });
      return segment;
    });
  }

  /** Recalculates one DYNAMIC, non-archived segment now. */
  async recalculate(
    actor: Actor | null,
    id: string,
    now = new Date(),
  ): Promise<{ segment: Segment; result: RecalculationResult }> {
    return this.write(async (tx) => {
      const segment = await this.lock(tx, id);
      if (segment.kind !== 'DYNAMIC' || !segment.criteria)
        throw new DomainError('VALIDATION', 'only DYNAMIC segments are recalculated', ['id']);
      if (segment.status === 'ARCHIVED')
        throw new DomainError('INVALID_TRANSITION', 'an archived segment is not recalculated', ['id']);
      const result = await recalculateMembership(tx, id, segment.criteria as unknown as Criteria, now);
      if (actor)
        await recordAudit(tx, actor, {
          action: 'segment.recalculate',
          entityType: 'Segment',
          entityId: id,
          changedFields: ['memberCount', 'lastCalculatedAt'],
        });
      return { segment: await tx.segment.findUniqueOrThrow({ where: { id } }), result };
    }, BULK_TRANSACTION);
  }

  /**
   * Recalculates every ACTIVE DYNAMIC segment (the built-in lifecycle segments included, created
   * from lifecycle_thresholds when missing), each in its own transaction, referenced segments
   * before those that use them. A segment another instance is recalculating right now is skipped
   * (FOR UPDATE SKIP LOCKED); with `dueBefore`, so is one calculated since then.
   */
  async recalculateAll(actor: Actor | null, now = new Date(), dueBefore: Date | null = null): Promise<number> {
    await this.syncLifecycleSegments();
    const segments = await this.prisma.segment.findMany({
      where: { kind: 'DYNAMIC', status: 'ACTIVE' },
      select: { id: true, criteria: true },
      orderBy: { name: 'asc' },
    });
    const order = dependencyOrder(
      segments.map((s) => ({ id: s.id, refs: referencedSegments(s.criteria as unknown as Criteria) })),
    );
    let done = 0;
    for (const id of order) {
      const ran = await this.write(async (tx) => {
        const locked = await tx.$queryRawUnsafe<{ criteria: Criteria | null }[]>(
          `SELECT criteria FROM segments WHERE id = $1::uuid AND status = 'ACTIVE' AND kind = 'DYNAMIC'
             AND ($2::timestamptz IS NULL OR last_calculated_at IS NULL OR last_calculated_at < $2::timestamptz)
           FOR UPDATE SKIP LOCKED`,
          id,
          dueBefore?.toISOString() ?? null,
        );
        if (!locked[0]?.criteria) return false;
        await recalculateMembership(tx, id, locked[0].criteria, now);
        return true;
      }, BULK_TRANSACTION);
      if (ran) done += 1;
    }
    if (actor)
      await this.prisma.$transaction((tx) =>
        recordAudit(tx, actor, {
          action: 'segment.recalculateAll',
          entityType: 'Segment',
          entityId: null,
          changedFields: ['memberCount', 'lastCalculatedAt'],
        }),
      );
    return done;
  }

  /** Creates or re-targets the lifecycle segments from the current thresholds (idempotent, race-safe upserts). */
  async syncLifecycleSegments(): Promise<void> {
    const rows = await this.prisma.lifecycleThreshold.findMany({ orderBy: { position: 'asc' } });
    const trees = lifecycleCriteria(rows.map((r) => ({ ...r, minTotalSpent: r.minTotalSpent?.toFixed() ?? null })));
    for (const [stage, criteria] of trees) {
      const json = JSON.stringify(criteria);
      await this.prisma.$executeRawUnsafe(
        `INSERT INTO segments (name, description, kind, criteria, lifecycle_stage)
         VALUES ($1, $2, 'DYNAMIC', $3::jsonb, $4)
         ON CONFLICT (lifecycle_stage) DO UPDATE SET criteria = EXCLUDED.criteria, updated_at = now()
         WHERE segments.criteria IS DISTINCT FROM EXCLUDED.criteria`,
        `Lifecycle: ${stage}`,
        `Built-in lifecycle stage ${stage} (thresholds in lifecycle_thresholds).`,
        json,
        stage,
      );
    }
  }

  /** Count and first page of the customers a tree matches now, without saving anything. */
  async preview(
    actor: Actor,
    input: CriteriaInput,
    first: number,
    now = new Date(),
  ): Promise<{ count: number; customers: Customer[] }> {
    const checked = validateCriteria(input, ['criteria'], this.decode);
    if (checked.issues.length > 0) throw new DomainError(checked.issues);
    await this.prisma.$transaction((tx) =>
      this.checkReferences(tx, null, checked.criteria!, checked.segmentRefs, false),
    );
    const matching = matchingCustomersSql(checked.criteria!, now, ownerScope(actor));
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; total: bigint | number }[]>(
      `SELECT m.id::text AS id, count(*) OVER () AS total FROM (${matching.sql}) m ORDER BY m.id LIMIT $${matching.params.length + 1}::int`,
      ...matching.params,
      first,
    );
    const count = rows.length > 0 ? Number(rows[0].total) : 0;
    const byId = new Map(
      (await this.prisma.customer.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((c) => [c.id, c]),
    );
    return { count, customers: rows.map((r) => byId.get(r.id)!).filter(Boolean) };
  }

  async addMembers(
    actor: Actor,
    id: string,
    customerIds: (string | null)[],
    now = new Date(),
  ): Promise<MemberItemResult[]> {
    return this.changeMembers(actor, id, customerIds, 'add', now);
  }

  async removeMembers(
    actor: Actor,
    id: string,
    customerIds: (string | null)[],
    now = new Date(),
  ): Promise<MemberItemResult[]> {
    return this.changeMembers(actor, id, customerIds, 'remove', now);
  }

  /** Per-item results: an unknown id fails alone; the valid ones are applied in one statement. */
  private async changeMembers(
    actor: Actor,
    id: string,
    customerIds: (string | null)[],
    how: 'add' | 'remove',
    now: Date,
  ): Promise<MemberItemResult[]> {
    if (customerIds.length === 0 || customerIds.length > MAX_MEMBERS_PER_CALL) {
      throw new DomainError('LIMIT_EXCEEDED', `give 1 to ${MAX_MEMBERS_PER_CALL} customers`, ['customerIds']);
    }
    return this.write(async (tx) => {
      const segment = await this.lock(tx, id);
      if (segment.kind !== 'STATIC')
        throw new DomainError('VALIDATION', 'members of a DYNAMIC segment follow its criteria', ['id']);
      if (segment.status === 'ARCHIVED')
        throw new DomainError('INVALID_TRANSITION', 'an archived segment cannot change', ['id']);
      const valid = [...new Set(customerIds.filter((c): c is string => c != null))];
      const applied =
        valid.length === 0
          ? new Set<string>()
          : how === 'add'
            ? await addStaticMembers(tx, id, valid, now)
            : await removeStaticMembers(tx, id, valid, now);
      if (applied.size > 0)
        await recordAudit(tx, actor, {
          action: `segment.members.${how}`,
          entityType: 'Segment',
          entityId: id,
          changedFields: ['members'],
        });
      return customerIds.map((customerId, index): MemberItemResult => {
        if (customerId && applied.has(customerId)) return { customerId, ok: true, issue: null };
        const message =
          how === 'add' || !customerId
            ? 'Customer not found (or it withdrew consent to data processing)'
            : 'the customer is not a member';
        return {
          customerId: customerId ?? '',
          ok: false,
          issue: { code: 'NOT_FOUND', field: ['customerIds', String(index)], message },
        };
      });
    });
  }

  private checkName(raw: string): string {
    const name = raw.trim();
    new Validator()
      .check(name.length >= 1 && name.length <= 100, ['input', 'name'], 'must be 1 to 100 characters')
      .throwIfInvalid();
    return name;
  }

  private checkCriteria(kind: SegmentKind, input: CriteriaInput | null | undefined) {
    if (kind === 'STATIC') {
      if (input != null)
        throw new DomainError('VALIDATION', 'a STATIC segment has no criteria; add members instead', [
          'input',
          'criteria',
        ]);
      return null;
    }
    if (input == null) throw new DomainError('VALIDATION', 'a DYNAMIC segment needs criteria', ['input', 'criteria']);
    const checked = validateCriteria(input, ['input', 'criteria'], this.decode);
    if (checked.issues.length > 0) throw new DomainError(checked.issues);
    return { criteria: checked.criteria!, refs: checked.segmentRefs };
  }

  /**
   * Referenced segments must exist; and saving `selfId` must not make a cycle. Walks the reference
   * graph breadth-first with the visited segments locked (FOR UPDATE), so two concurrent updates
   * cannot each add half of a cycle.
   */
  private async checkReferences(
    tx: Tx,
    selfId: string | null,
    criteria: Criteria,
    refs: { id: string; field: string[] }[],
    lock = true,
  ): Promise<void> {
    const issues: Issue[] = [];
    const lockClause = lock ? ' ORDER BY id FOR UPDATE' : '';
    const direct = refs.length
      ? await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text AS id FROM segments WHERE id = ANY($1::uuid[])${lockClause}`,
          refs.map((r) => r.id),
        )
      : [];
    const found = new Set(direct.map((r) => r.id));
    for (const ref of refs) {
      if (!found.has(ref.id)) issues.push({ code: 'NOT_FOUND', field: ref.field, message: 'Segment not found' });
      else if (ref.id === selfId)
        issues.push({ code: 'VALIDATION', field: ref.field, message: 'a segment cannot refer to itself' });
    }
    if (issues.length) throw new DomainError(issues);
    if (!selfId) return; // a new segment is referenced by nothing yet: no cycle possible
    const seen = new Set<string>();
    let frontier = referencedSegments(criteria);
    const origin = new Map(refs.map((r) => [r.id, r.field]));
    const rootOf = new Map(frontier.map((id) => [id, id]));
    while (frontier.length > 0) {
      const rows = await tx.$queryRawUnsafe<{ id: string; criteria: Criteria | null }[]>(
        `SELECT id::text AS id, criteria FROM segments WHERE id = ANY($1::uuid[])${lockClause}`,
        frontier,
      );
      const next: string[] = [];
      for (const row of rows) {
        seen.add(row.id);
        for (const ref of referencedSegments(row.criteria)) {
          if (ref === selfId)
            throw new DomainError(
              'VALIDATION',
              'this reference would make a cycle of segments',
              origin.get(rootOf.get(row.id)!) ?? ['input', 'criteria'],
            );
          if (!seen.has(ref)) rootOf.set(ref, rootOf.get(row.id)!), next.push(ref);
        }
      }
      frontier = [...new Set(next)];
    }
  }

  private async lock(tx: Tx, id: string): Promise<Segment> {
    await tx.$queryRaw`SELECT 1 FROM segments WHERE id = ${id}::uuid FOR UPDATE`;
    const segment = await tx.segment.findUnique({ where: { id } });
    if (!segment) throw notFound('Segment');
    return segment;
  }

  /** A transaction of this service; those that recalculate membership pass BULK_TRANSACTION. */
  private async write<T>(run: (tx: Tx) => Promise<T>, options?: typeof BULK_TRANSACTION): Promise<T> {
    try {
      return await this.prisma.$transaction(run, options);
    } catch (error) {
      if (isUniqueViolation(error, 'name'))
        throw new DomainError('DUPLICATE', 'a segment with this name exists', ['input', 'name']);
      throw error;
    }
  }
}

/** Segments ordered so that each comes after the segments it refers to (Kahn's algorithm). */
export function dependencyOrder(segments: { id: string; refs: string[] }[]): string[] {
  const ids = new Set(segments.map((s) => s.id));
  const pending = new Map(segments.map((s) => [s.id, new Set(s.refs.filter((r) => ids.has(r)))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, refs]) => refs.size === 0).map(([id]) => id);
    if (ready.length === 0) return [...order, ...pending.keys()]; // a cycle cannot be saved; stay total anyway
    for (const id of ready) {
      order.push(id);
      pending.delete(id);
      for (const refs of pending.values()) refs.delete(id);
    }
  }
  return order;
}
