/**
 * Fault rules: which requests misbehave and how. A rule matches by method and path (prefix or
 * regular expression) and can be limited to the next `times` matches and to a fraction `rate` of them.
 * Randomness is seeded per rule so a test with `rate: 0.5` sees the same sequence on every run.
 * A `hold` rule keeps the requests it hits waiting until the rule is removed: a test lines up
 * concurrent callers against it, waiting on the count of held requests, never on time.
 */
import { Static, Type } from "@sinclair/typebox";

export const FaultKind = Type.Union([
  Type.Literal("latency"),
  Type.Literal("error"),
  Type.Literal("rateLimit"),
  Type.Literal("truncate"),
  Type.Literal("malformed"),
  Type.Literal("reset"),
  Type.Literal("hold"),
]);

export const FaultRuleInput = Type.Object(
  {
    kind: FaultKind,
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    /** Path prefix such as /psapi/v4.0/media (query string not included). */
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** Regular expression over the path, for routes with ids in the middle. */
    pathPattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** Fraction of matching requests hit (0..1), default 1. */
    rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Apply to the next N hits only, then the rule is removed. */
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120000 })),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120000 })),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    /** Body for `error` faults; default is the route group's own error shape. */
    body: Type.Optional(Type.Unknown()),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
    seed: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type FaultRuleInput = Static<typeof FaultRuleInput>;
export type FaultRule = FaultRuleInput & { id: string; hits: number; /** hold rules: requests waiting now */ held?: number };

/** Requests held by a hold rule, released together when it is removed. */
interface Gate {
  waiting: number;
  released: Promise<void>;
  release(): void;
}

/** mulberry32: small, fast, good enough to decide which requests a fault hits. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultStore {
  private rules: Array<{ rule: FaultRule; pattern: RegExp | null; random: () => number }> = [];
  private nextId = 1;
  /** Open hold rules by id; a gate outlives its rule's `times` and opens only when the rule is removed. */
  private readonly gates = new Map<string, Gate>();

  add(input: FaultRuleInput): FaultRule {
    if (input.pathPattern !== undefined) new RegExp(input.pathPattern); // throws on a bad pattern, before storing
    const rule: FaultRule = { ...input, id: `fault-${this.nextId++}`, hits: 0 };
    if (rule.kind === "hold") {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      this.gates.set(rule.id, { waiting: 0, released, release });
    }
    this.rules.push({ rule, pattern: input.pathPattern ? new RegExp(input.pathPattern) : null, random: seededRandom(input.seed ?? this.nextId) });
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule, ...(this.gates.has(r.rule.id) ? { held: this.gates.get(r.rule.id)!.waiting } : {}) }));
  }

  /** Waits while the hold rule `id` is in place (returns at once when it is gone). */
  async hold(id: string): Promise<void> {
    const gate = this.gates.get(id);
    if (!gate) return;
    gate.waiting++;
    try {
      await gate.released;
    } finally {
      gate.waiting--;
    }
  }

  /** Removes a rule; a hold rule lets its requests go on. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    const gate = this.gates.get(id);
    gate?.release();
    this.gates.delete(id);
    return this.rules.length !== before || gate !== undefined;
  }

  clear(): void {
    this.rules = [];
    for (const gate of this.gates.values()) gate.release();
    this.gates.clear();
  }

  /** The rules that fire for this request, in the order they were added; counts their hits. */
  fire(method: string, path: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const entry of this.rules) {
      const { rule, pattern } = entry;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path && !path.startsWith(rule.path)) continue;
      if (pattern && !pattern.test(path)) continue;
      if (entry.random() >= (rule.rate ?? 1)) continue;
      rule.hits++;
      fired.push({ ...rule });
    }
    this.rules = this.rules.filter((r) => r.rule.times === undefined || r.rule.hits < r.rule.times);
    return fired;
  }
}
