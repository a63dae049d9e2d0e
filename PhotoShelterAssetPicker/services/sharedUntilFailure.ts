/**
 * A value read once and shared by every caller, read again after a failure: a failed read (the proxy
 * or Dataverse briefly down) must not stick for as long as the form is open.
 */
export function sharedUntilFailure<A extends unknown[], T>(read: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let shared: Promise<T> | null = null;
  return (...args) => {
    if (!shared) {
      shared = read(...args);
      shared.catch(() => (shared = null));
    }
    return shared;
  };
}
