import * as React from "../platform/react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";
import { Dismiss24Regular } from "@fluentui/react-icons";
import { useStrings } from "./Strings";

export interface PickerDialogProps {
  title: React.ReactNode;
  /** Escape, a click outside (not for an alert), the close button or Cancel. */
  onClose: () => void;
  /** A write is running: the dialog stays open, Cancel and the main action are disabled. */
  busy?: boolean;
  /** A confirmation: role alertdialog, no close button in the title. */
  alert?: boolean;
  /** The main action, next to Cancel (attach, detach). */
  confirm?: { label: string; disabled?: boolean; onClick: () => void };
  /** Actions of its own instead of Cancel and a main action (the preview's). */
  actions?: React.ReactNode;
  /** Actions over the whole width (the preview's navigation at the start, its actions at the end). */
  fluidActions?: boolean;
  contentClassName?: string;
  onKeyDown?: (event: React.KeyboardEvent) => void;
  children: React.ReactNode;
}

/** The control's dialogs (browse, preview, detach): modal, focus trapped inside, a title and actions. */
export function PickerDialog(props: PickerDialogProps) {
  const { alert, busy, confirm } = props;
  const getString = useStrings();
  const close = () => {
    if (!busy) props.onClose();
  };
  return (
    <Dialog open modalType={alert ? "alert" : "modal"} inertTrapFocus onOpenChange={(_event, data) => (data.open ? undefined : close())}>
      <DialogSurface className={alert ? undefined : "psh-dialog-wide"} onKeyDown={props.onKeyDown}>
        <DialogBody>
          <DialogTitle action={alert ? undefined : <Button appearance="subtle" aria-label={getString("Action_Close")} icon={<Dismiss24Regular />} onClick={close} />}>{props.title}</DialogTitle>
          <DialogContent className={props.contentClassName}>{props.children}</DialogContent>
          <DialogActions fluid={props.fluidActions}>
            {confirm ? (
              <>
                <Button appearance="secondary" disabled={busy} onClick={close}>
                  {getString("Action_Cancel")}
                </Button>
                <Button appearance="primary" disabled={busy || confirm.disabled} onClick={confirm.onClick}>
                  {confirm.label}
                </Button>
              </>
            ) : (
              props.actions
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
