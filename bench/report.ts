// The printed results of bench/api.bench.ts: one table per server and, with --compare, the CPU
// ratios of the two servers, loaded at the same time in each round.
import type { Scenario } from './scenarios';
import { range, table } from './support';

export interface Measurement {
  scenario: string;
  concurrency: number;
  requests: number;
  failures: number;
  firstFailure?: string;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerRequest: number;
  /** Share of that CPU spent in the kernel (socket reads and writes: HTTP and PostgreSQL). */
  systemShare: number;
  statementsPerOp: number;
  bytes: number;
}

/** The table of one server's measurements: ranges over the rounds, CPU and statements against the targets. */
export function summary(results: Measurement[], chosen: Scenario[], concurrencies: number[]): string {
  const rows: string[][] = [];
  for (const concurrency of concurrencies) {
    for (const scenario of chosen) {
      const ms = results.filter((m) => m.scenario === scenario.name && m.concurrency === concurrency);
      const target = (value: number[], bound?: number) =>
        bound === undefined ? '' : Math.min(...value) <= bound ? ` (≤ ${bound} ✓)` : ` (≤ ${bound} ✗)`;
      const cpu = ms.map((m) => m.cpuMsPerRequest);
      const statements = ms.map((m) => m.statementsPerOp);
      rows.push([
        scenario.name,
        String(concurrency),
        range(ms.map((m) => m.reqPerSec)),
        range(ms.map((m) => m.p50)),
        range(ms.map((m) => m.p95)),
        range(ms.map((m) => m.p99)),
        range(cpu) + (concurrency === 8 ? target(cpu, scenario.cpuTargetMs) : ''),
        range(statements) + target(statements, scenario.maxStatements),
        String(ms[0]?.bytes ?? '-'),
      ]);
    }
  }
  return table(
    ['scenario', 'conc.', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server CPU ms/req', 'statements/op', 'bytes'],
    rows,
  );
}

/**
 * --compare: server CPU per request of this checkout divided by the ref's, per round (the two were
 * loaded at the same time in that round; results are in round order) and their median. Below 1:
 * this checkout spends less.
 */
export function comparison(
  results: (Measurement & { label: string })[],
  [mine, theirs]: string[],
  chosen: Scenario[],
  concurrencies: number[],
): string {
  const rows: string[][] = [];
  for (const concurrency of concurrencies) {
    for (const scenario of chosen) {
      const of = (label: string) =>
        results.filter((m) => m.label === label && m.scenario === scenario.name && m.concurrency === concurrency);
      const a = of(mine);
      const b = of(theirs);
      const ratios = a.map((m, i) => m.cpuMsPerRequest / b[i].cpuMsPerRequest);
      const sorted = [...ratios].sort((x, y) => x - y);
      const median =
        sorted.length % 2
          ? sorted[(sorted.length - 1) / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      rows.push([
        scenario.name,
        String(concurrency),
        range(a.map((m) => m.cpuMsPerRequest)),
        range(b.map((m) => m.cpuMsPerRequest)),
        ratios.map((r) => r.toFixed(2)).join(' '),
        median.toFixed(2),
      ]);
    }
  }
  return `Server CPU, this checkout against ${theirs} (ratio below 1: this checkout spends less):\n${table(
    ['scenario', 'conc.', 'this ms/req', `${theirs} ms/req`, 'ratio per round', 'median'],
    rows,
  )}`;
}
