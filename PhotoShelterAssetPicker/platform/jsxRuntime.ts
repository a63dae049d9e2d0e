/**
 * `react/jsx-runtime` for the bundle (aliased in webpack.config.js): the compiler's JSX calls go to
 * the platform's React.createElement through one short local function, instead of
 * `React.createElement` spelled out at each of the control's ~300 elements. React 16.14 takes
 * `children` from the props object, so only `key` needs moving back in.
 */
import * as React from "./react";

export const Fragment = React.Fragment;

export function jsx(type: React.ElementType, props: Record<string, unknown>, key?: React.Key): React.ReactElement {
  return React.createElement(type, key === undefined ? props : { ...props, key });
}

export { jsx as jsxs };
