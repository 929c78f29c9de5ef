/** Too many attempts: try again after `retryAfterSeconds`. Becomes a top-level RATE_LIMITED error (HTTP 429). */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
