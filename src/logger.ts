import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs (one line per event) that log shippers can parse as they are. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'customer-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'variables.password', 'variables.input.password'],
  });
}
