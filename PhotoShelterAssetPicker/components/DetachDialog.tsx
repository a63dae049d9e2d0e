import * as React from "../platform/react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody } from "@fluentui/react-components";
import { GetString, format, messageOf } from "../services/strings";

export interface DetachDialogProps {
  fileName: string;
  getString: GetString;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

/** "Detach this asset?": removes the link row only; the asset stays in PhotoShelter. */
export const DetachDialog = React.memo(function DetachDialog(props: DetachDialogProps) {
  const { fileName, getString, onConfirm, onCancel } = props;
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog open modalType="alert" inertTrapFocus onOpenChange={(_event, data) => (data.open || busy ? undefined : onCancel())}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{getString("Detach_Title")}</DialogTitle>
          <DialogContent>
            {format(getString("Detach_Body"), fileName)}
            {error ? (
              <MessageBar intent="error">
                <MessageBarBody>{format(getString("Detach_Failed"), error)}</MessageBarBody>
              </MessageBar>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" disabled={busy} onClick={onCancel}>
              {getString("Action_Cancel")}
            </Button>
            <Button appearance="primary" disabled={busy} onClick={() => void confirm()}>
              {getString("Action_Detach")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
});
