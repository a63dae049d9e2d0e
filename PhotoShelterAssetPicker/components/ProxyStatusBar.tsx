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

/** The resx keys explaining a proxy failure in the user's words. */
export function proxyErrorKeys(error: ProxyError): { title: string; body: string } {
  if (error.code === "sign_in_required") return { title: "Error_SignInTitle", body: "Error_SignInBody" };
  if (error.code === "not_configured") return { title: "Error_NotConfiguredTitle", body: "Error_NotConfiguredBody" };
  if (error.isOutsideSegment) return { title: "Error_OutsideSegmentTitle", body: "OutsideSegment_Explanation" };
  if (error.status === 429) return { title: "Error_BusyTitle", body: "Error_BusyBody" };
  if (error.isTransient) return { title: "Error_UnreachableTitle", body: "Error_UnreachableBody" };
  return { title: "Error_FailedTitle", body: "Error_FailedBody" };
}

/** A message bar for a failed proxy call, with the next step (retry, or sign in). */
export const ProxyStatusBar = React.memo(function ProxyStatusBar(props: ProxyStatusBarProps) {
  const { error, fallbackKey, onRetry, onSignIn } = props;
  const getString = useStrings();
  if (!error) return null;
  const keys = proxyErrorKeys(error);
  const signIn = error.code === "sign_in_required" && onSignIn;
  return (
    <MessageBar intent={error.isOutsideSegment ? "warning" : "error"} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{getString(keys.title)}</MessageBarTitle>
        {getString(keys.body)}
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
