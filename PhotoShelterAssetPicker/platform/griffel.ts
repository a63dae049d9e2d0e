/**
 * `@griffel/react` for `@fluentui/react-icons`, served by the Fluent platform library (which re-exports
 * Griffel) instead of a second, bundled copy. The build aliases `@griffel/react` here (webpack.config.js):
 * the icons then share the host's style renderer and cost only their SVG paths.
 */
export { __styles, makeStaticStyles, makeStyles, mergeClasses } from "@fluentui/react-components";
