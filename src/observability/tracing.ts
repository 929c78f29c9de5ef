// OpenTelemetry tracing, optional: only when OTEL_EXPORTER_OTLP_ENDPOINT is set does startTracing
// load the SDK (src/observability/otel.ts, imported lazily), so without it nothing is loaded and the
// hooks below stay null (one null check per request and per statement).
import type { Logger } from '../logger';

export interface TracingHooks {
  /** Runs a GraphQL request inside its span; `onTraceId` learns the trace id (for the request log line). */
  requestSpan:
    | (<T>(
        requestId: string,
        run: () => Promise<T>,
        onTraceId: (traceId: string) => void,
        headers?: Record<string, string | string[] | undefined>,
      ) => Promise<T>)
    | null;
  /** Names the current request span after its operation ("query CustomerList"). */
  nameOperation: ((type: string, name: string) => void) | null;
  /** The trace id of the active span, for log lines. */
  traceId: (() => string | undefined) | null;
}

export const tracing: TracingHooks = { requestSpan: null, nameOperation: null, traceId: null };

/** The fields every log line of a request carries: its request id, and its trace id when tracing. */
export function traceFields(requestId: string): { requestId: string; traceId?: string } {
  const traceId = tracing.traceId?.();
  return traceId ? { requestId, traceId } : { requestId };
}

export interface TracingOptions {
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); the exporter appends /v1/traces. */
  endpoint?: string;
  serviceName?: string;
  /** A span exporter to use instead of OTLP (tests: the SDK's InMemorySpanExporter). */
  exporter?: unknown;
}

let started: Promise<{ flush(): Promise<void> }> | null = null;

/** Starts tracing once per process when an endpoint (or an exporter) is given; otherwise does nothing. */
export async function startTracing(options: TracingOptions, logger: Logger): Promise<boolean> {
  if (!options.endpoint && !options.exporter) return false;
  started ??= import('./otel').then((otel) => otel.installTracing(options, tracing));
  await started;
  logger.info({ endpoint: options.endpoint ?? 'custom exporter' }, 'OpenTelemetry tracing on');
  return true;
}

/** Sends the spans still buffered (at shutdown). */
export async function flushTracing(): Promise<void> {
  await (await started)?.flush();
}
