// The OpenTelemetry SDK, loaded by src/observability/tracing.ts only when tracing is configured.
// Spans: one per GraphQL request (named after its operation once resolved, with the request id),
// one per SQL statement (child of the request's span through the async context).
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { setStatementSpanWrapper } from './statements';
import { statementKind } from './metrics';
import type { TracingHooks, TracingOptions } from './tracing';

const MAX_STATEMENT_TEXT = 2000;

function ended<T>(span: Span, work: Promise<T>): Promise<T> {
  return work.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      span.end();
      throw error;
    },
  );
}

export function installTracing(options: TracingOptions, hooks: TracingHooks): { flush(): Promise<void> } {
  const custom = options.exporter as SpanExporter | undefined;
  // The OTLP exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) from the environment.
  const exporter = custom ?? new OTLPTraceExporter(options.endpoint ? { url: tracesUrl(options.endpoint) } : {});
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'customer-api' }),
    // A custom exporter (tests) sees spans as they end; OTLP gets them in batches.
    spanProcessors: [custom ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register(); // the AsyncLocalStorage context manager and W3C trace-context propagation
  const tracer = trace.getTracer('customer-api');

  hooks.requestSpan = (requestId, run, onTraceId, headers) => {
    const parent = headers ? propagation.extract(context.active(), headers) : context.active();
    return tracer.startActiveSpan(
      'graphql',
      { kind: SpanKind.SERVER, attributes: { 'request.id': requestId } },
      parent,
      (span) => {
        onTraceId(span.spanContext().traceId);
        return ended(span, run());
      },
    );
  };
  hooks.nameOperation = (type, name) => {
    const span = trace.getActiveSpan();
    span?.updateName(`${type} ${name}`);
    span?.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name });
  };
  hooks.traceId = () => trace.getActiveSpan()?.spanContext().traceId;
  setStatementSpanWrapper((sql, run) =>
    tracer.startActiveSpan(
      `db ${statementKind(sql)}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': sql.slice(0, MAX_STATEMENT_TEXT) },
      },
      (span) => ended(span, run()),
    ),
  );
  return { flush: () => provider.forceFlush() };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the base URL; traces go to its /v1/traces (the OTLP/HTTP convention). */
function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
