// Every SQL statement the API sends passes through `observeStatement` (src/db/client.ts wraps the
// Prisma driver adapter and `db.read`): its time goes to the statement histogram and, when tracing
// is on, it runs inside a span of its own. Without tracing the cost is two clock reads.
import { recordStatement } from './metrics';

type Run<T> = () => Promise<T>;
/** Set by src/observability/tracing.ts when OpenTelemetry is on: runs a statement inside a span. */
let spanWrapper: (<T>(sql: string, run: Run<T>) => Promise<T>) | null = null;

export function setStatementSpanWrapper(wrapper: typeof spanWrapper): void {
  spanWrapper = wrapper;
}

export async function observeStatement<T>(sql: string, run: Run<T>): Promise<T> {
  const started = performance.now();
  let ok = false;
  try {
    const result = await (spanWrapper ? spanWrapper(sql, run) : run());
    ok = true;
    return result;
  } finally {
    recordStatement(sql, (performance.now() - started) / 1000, ok);
  }
}
