// Types of zoo.mjs, for the tests.
export type ZooLimiter =
  | { kind: "token-bucket"; perSecond: number; burst: number }
  | { kind: "fixed-window"; limit: number; windowMs: number }
  | { kind: "sliding-log"; limit: number; windowMs: number }
  | { kind: "concurrency"; limit: number }
  | { kind: "changing"; first: ZooLimiter; afterMs: number; next: ZooLimiter };

/** What a server of the zoo served and refused: each request as it came (ms since the epoch). */
export interface ZooStats {
  served: number;
  refused: number;
  log: { at: number; status: number; retryAfter?: string }[];
}

export interface ZooServer {
  url: string;
  stats: ZooStats;
  close(): Promise<void>;
}

export declare function idealMs(
  spec: ZooLimiter,
  pages: number,
  latencyMs?: number,
  concurrency?: number,
): number;
export declare function startZooServer(options: {
  pages: number;
  perPage?: number;
  limiter: ZooLimiter;
  headers?: boolean;
  retryAfter?: "seconds" | "date";
  latencyMs?: number;
}): Promise<ZooServer>;
export declare function startExpressRateLimit(options: {
  pages: number;
  perPage?: number;
  limit: number;
  windowMs: number;
  standardHeaders: "draft-8" | false;
}): Promise<ZooServer>;
export declare function startRateLimiterFlexible(options: {
  pages: number;
  perPage?: number;
  points: number;
  duration: number;
  headers?: boolean;
}): Promise<ZooServer>;

/** The quota a limiter tells for one request, and whether it may pass. */
export interface ZooQuota {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
  retryMs: number;
}
export declare function createLimiter(
  spec: ZooLimiter,
  start: number,
): { take(now: number): ZooQuota; release?(): void };
