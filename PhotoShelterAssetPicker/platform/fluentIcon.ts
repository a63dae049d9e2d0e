/**
 * `createFluentIcon` for the icons of `@fluentui/react-icons` the control uses, swapped in by the build
 * (webpack.config.js) for the package's own: an icon then costs its SVG paths and this one small
 * function, instead of each icon pulling in the package's state hooks, Griffel styles and colour-icon
 * renderer. It keeps what the package's icons promise: `fill` = `primaryFill` or the text colour,
 * `title` becomes the accessible name (otherwise the icon is `aria-hidden`), the `fui-Icon` class and
 * `data-fui-icon` attribute, and `flipInRtl`; display, line height and the right-to-left mirror are
 * in css/PhotoShelterAssetPicker.css.
 */
import * as React from "./react";

interface IconProps extends React.SVGAttributes<SVGSVGElement> {
  title?: string;
  primaryFill?: string;
  filled?: boolean;
}

export function createFluentIcon(displayName: string, width: string, paths: readonly string[], options?: { flipInRtl?: boolean }) {
  const box = width === "1em" ? "20" : width;
  const Icon = React.forwardRef<SVGSVGElement, IconProps>(function Icon({ title, primaryFill = "currentColor", filled: _filled, className, ...rest }, ref) {
    const named = Boolean(title || rest["aria-label"] || rest["aria-labelledby"]);
    return React.createElement(
      "svg",
      {
        ...rest,
        ref,
        className: `fui-Icon psh-icon${options?.flipInRtl ? " psh-icon-flip" : ""}${className ? ` ${className}` : ""}`,
        width,
        height: width,
        viewBox: `0 0 ${box} ${box}`,
        fill: primaryFill,
        "aria-label": title ?? rest["aria-label"],
        "aria-hidden": named ? undefined : true,
        role: named ? "img" : undefined,
        "data-fui-icon": "",
      },
      paths.map((d) => React.createElement("path", { key: d, d, fill: primaryFill })),
    );
  });
  Icon.displayName = displayName;
  return Icon;
}
