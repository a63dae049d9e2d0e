import * as React from "../platform/react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { ProxyError } from "../services/proxyClient";

import { useStrings } from "./Strings";

export interface ProxyStatusBarProps {
  error: ProxyError | undefined;
  /** What still works without the proxy, e.g. "Linked assets show what was last saved." */
  fallbackKey?: string;
  onRetry: () => void;
  onSignIn?: () => void;
}

/** What went wrong, in the user's words: the stem of the resx keys Error_<stem>Title and Error_<stem>Body. */
export function proxyErrorStem(error: ProxyError): string {
  if (error.code === "sign_in_required") return "SignIn";
  if (error.code === "not_configured") return "NotConfigured";
  if (error.isOutsideSegment) return "OutsideSegment";
  if (error.status === 429) return "Busy";
  return error.isTransient ? "Unreachable" : "Failed";
}

/** A message bar for a failed proxy call, with the next step (retry, or sign in). */
export const ProxyStatusBar = React.memo(function ProxyStatusBar(props: ProxyStatusBarProps) {
  const { error, fallbackKey, onRetry, onSignIn } = props;
  const getString = useStrings();
  if (!error) return null;
  const stem = proxyErrorStem(error);
  const signIn = error.code === "sign_in_required" && onSignIn;
  return (
    <MessageBar intent={error.isOutsideSegment ? "warning" : "error"} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{getString(`Error_${stem}Title`)}</MessageBarTitle>
        {/* Outside the segment, the same explanation as the badge of such an asset. */}
        {getString(stem === "OutsideSegment" ? "OutsideSegment_Explanation" : `Error_${stem}Body`)}
        {fallbackKey ? ` ${getString(fallbackKey)}` : null}
      </MessageBarBody>
      <MessageBarActions>
        {signIn ? (
          <Button appearance="primary" onClick={onSignIn}>
            {getString("Action_SignIn")}
          </Button>
        ) : (
          <Button onClick={onRetry}>{getString("Action_Retry")}</Button>
        )}
      </MessageBarActions>
    </MessageBar>
  );
});
