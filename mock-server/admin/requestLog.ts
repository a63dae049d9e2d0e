/** Every request that reached the mock (except /__admin itself), so tests can count upstream calls. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: string;
  /** Which key the caller used (PhotoShelter api key), if any. */
  apiKey: string | null;
  status: number | null;
  durationMs: number | null;
  /** Ids of the fault rules that fired for it. */
  faults: string[];
}

export interface RequestFilter {
  method?: string;
  /** Path prefix. */
  path?: string;
}

/** Bounded so a long benchmark run cannot grow memory without limit; the oldest entries go first. */
const CAPACITY = 20000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  start(method: string, url: string, apiKey: string | null): LoggedRequest {
    const q = url.indexOf("?");
    const entry: LoggedRequest = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? "" : url.slice(q + 1),
      apiKey,
      status: null,
      durationMs: null,
      faults: [],
    };
    this.entries.push(entry);
    if (this.entries.length > CAPACITY) this.entries.splice(0, this.entries.length - CAPACITY);
    return entry;
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    const method = filter.method?.toUpperCase();
    return this.entries.filter((e) => (!method || e.method === method) && (!filter.path || e.path.startsWith(filter.path)));
  }

  count(filter: RequestFilter = {}): number {
    return this.list(filter).length;
  }

  clear(): void {
    this.entries = [];
  }
}
