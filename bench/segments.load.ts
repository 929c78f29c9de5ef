// HTTP load helpers of the segments benchmark (one operation per call, a bounded worker pool).
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * Sends one operation and throws (with a short reason) unless the answer is HTTP 200 with data,
 * no `errors` and, for mutations, no `userErrors`. Node's fetch keeps connections alive and reuses
 * them, so `concurrency` requests in flight use about `concurrency` connections.
 */
export async function postGraphQL(
  url: string,
  token: string | null,
  request: GraphQLRequest,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: not JSON: ${text.slice(0, 120)}`);
  }
  if (body.errors?.length)
    throw new Error(
      `HTTP ${response.status}: ${body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ')}`,
    );
  if (response.status !== 200 || !body.data) throw new Error(`HTTP ${response.status} without data`);
  for (const [field, value] of Object.entries(body.data)) {
    if (value === null) throw new Error(`${field} is null`);
    const userErrors = (value as { userErrors?: { code: string; message: string }[] }).userErrors;
    if (userErrors?.length) throw new Error(`${field}: ${userErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  }
  return body.data;
}

export interface LoadResult {
  /** Latency of every successful request, in ms. */
  latencies: number[];
  failed: number;
  /** Failure reason → count. */
  failures: Map<string, number>;
  elapsedMs: number;
}

/**
 * Runs exactly `requests` calls of `send(i)` with at most `concurrency` in flight. After `maxMs`
 * no further call starts; those not started count as failed ("not sent: time limit").
 */
export async function runLoad(
  requests: number,
  concurrency: number,
  maxMs: number,
  send: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const result: LoadResult = { latencies: [], failed: 0, failures: new Map(), elapsedMs: 0 };
  const fail = (reason: string) => {
    result.failed++;
    result.failures.set(reason, (result.failures.get(reason) ?? 0) + 1);
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      if (performance.now() - started > maxMs) {
        fail('not sent: scenario time limit reached');
        continue;
      }
      const t0 = performance.now();
      try {
        await send(i);
        result.latencies.push(performance.now() - t0);
      } catch (error) {
        fail(error instanceof Error ? error.message.slice(0, 200) : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  result.elapsedMs = performance.now() - started;
  return result;
}
