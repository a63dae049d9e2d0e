/**
 * React for the control's own files. React is a platform library, an external object in the bundle,
 * so `React.useState` would stay a property read of that object at each of ~150 uses; imported from
 * here, each member is one local binding, which minifies to one letter. Add a member when a file needs it.
 */
import * as React from "react";

export const { Fragment, createElement, forwardRef, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } = React;
export type { DragEvent, ElementType, Key, KeyboardEvent, MouseEvent, ReactElement, ReactNode, RefObject, SVGAttributes } from "react";
