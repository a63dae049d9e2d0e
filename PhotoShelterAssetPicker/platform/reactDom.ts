/**
 * The one `react-dom` export the bundle needs: `flushSync`, imported by @tanstack/react-virtual.
 * Virtual controls get React from the platform but no ReactDOM, and bundling ReactDOM would cost
 * ~120 KB. The grid passes `useFlushSync: false`; under React 16 a render triggered from a scroll
 * listener is synchronous anyway, so running the callback is all flushSync has to do.
 */
export function flushSync<R>(callback: () => R): R {
  return callback();
}
