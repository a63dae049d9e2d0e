import * as React from "../platform/react";
import { Caption1, Spinner, Subtitle2 } from "@fluentui/react-components";
import { message } from "../services/strings";
import { useStrings } from "./Strings";

export interface LinkedAssetsHeaderProps {
  count: number;
  isLoading: boolean;
  isUnsavedRecord: boolean;
}


export const LinkedAssetsHeader = React.memo(function LinkedAssetsHeader(props: LinkedAssetsHeaderProps) {
  const { count, isLoading, isUnsavedRecord } = props;
  const getString = useStrings();
  let status: React.ReactNode;
  if (isUnsavedRecord) status = getString("Record_Unsaved");
  else if (isLoading) status = <Spinner size="tiny" />;
  else status = message(getString, "LinkedCount", count);
  return (
    <header className="psh-linked-header">
      <Subtitle2 as="h2">{getString("Header_Title")}</Subtitle2>
      <Caption1 role="status" aria-live="polite">
        {status}
      </Caption1>
    </header>
  );
});
