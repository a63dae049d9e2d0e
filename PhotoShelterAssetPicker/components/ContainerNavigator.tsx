import * as React from "../platform/react";
import { Breadcrumb, BreadcrumbButton, BreadcrumbDivider, BreadcrumbItem, Button, Spinner } from "@fluentui/react-components";
import { Folder20Regular, ImageMultiple20Regular } from "@fluentui/react-icons";
import type { Container } from "../../contract/proxyApi";
import { format } from "../services/strings";
import { useStrings } from "./Strings";


export interface ContainerNavigatorProps {
  /** From the top level down to the open collection or gallery. */
  path: readonly Container[];
  inside: readonly Container[];
  isLoading: boolean;
  onOpen: (container: Container) => void;
  /** Go back to a level of the path; -1 is the top level. */
  onGoTo: (depth: number) => void;
}

/** Breadcrumb over collections and galleries, and the ones inside the current level. */
export const ContainerNavigator = React.memo(function ContainerNavigator(props: ContainerNavigatorProps) {
  const { path, inside, isLoading, onOpen, onGoTo } = props;
  const getString = useStrings();
  return (
    <div>
      <Breadcrumb aria-label={getString("Browse_BreadcrumbLabel")} size="small">
        <BreadcrumbItem>
          <BreadcrumbButton current={path.length === 0} onClick={() => onGoTo(-1)}>
            {getString("Browse_AllCollections")}
          </BreadcrumbButton>
        </BreadcrumbItem>
        {path.map((container, depth) => (
          <React.Fragment key={container.id}>
            <BreadcrumbDivider />
            <BreadcrumbItem>
              <BreadcrumbButton current={depth === path.length - 1} onClick={() => onGoTo(depth)}>
                {container.name}
              </BreadcrumbButton>
            </BreadcrumbItem>
          </React.Fragment>
        ))}
      </Breadcrumb>
      {isLoading ? <Spinner size="tiny" label={getString("Browse_LoadingCollections")} /> : null}
      {inside.length > 0 ? (
        <ul className="psh-plain-list psh-children" aria-label={getString("Browse_ChildrenLabel")}>
          {inside.map((container) => (
            <li key={container.id}>
              <Button size="small" appearance="secondary" icon={container.kind === "gallery" ? <ImageMultiple20Regular /> : <Folder20Regular />} onClick={() => onOpen(container)}>
                {container.kind === "gallery" ? format(getString("Browse_GalleryWithCount"), container.name, container.mediaCount) : container.name}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});
