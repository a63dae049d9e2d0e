import * as React from "../platform/react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";
import { Dismiss24Regular } from "@fluentui/react-icons";
import { useStrings } from "./Strings";

export interface PickerDialogProps {
  title: React.ReactNode;
  /** Escape, a click outside (not for an alert) or the close button; undefined while the dialog must stay open. */
  onClose: (() => void) | undefined;
  /** A confirmation: role alertdialog, closed by its own buttons (no close button in the title). */
  alert?: boolean;
  /** The buttons at the bottom. */
  actions: React.ReactNode;
  /** Actions over the whole width (the preview's navigation at the start, its actions at the end). */
  fluidActions?: boolean;
  contentClassName?: string;
  onKeyDown?: (event: React.KeyboardEvent) => void;
  children: React.ReactNode;
}

/** The control's dialogs (browse, preview, detach): modal, focus trapped inside, a title and actions. */
export function PickerDialog(props: PickerDialogProps) {
  const { alert, onClose } = props;
  const getString = useStrings();
  return (
    <Dialog open modalType={alert ? "alert" : "modal"} inertTrapFocus onOpenChange={(_event, data) => (data.open ? undefined : onClose?.())}>
      <DialogSurface className={alert ? undefined : "psh-dialog-wide"} onKeyDown={props.onKeyDown}>
        <DialogBody>
          <DialogTitle action={alert ? undefined : <Button appearance="subtle" aria-label={getString("Action_Close")} icon={<Dismiss24Regular />} onClick={onClose} />}>{props.title}</DialogTitle>
          <DialogContent className={props.contentClassName}>{props.children}</DialogContent>
          <DialogActions fluid={props.fluidActions}>{props.actions}</DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
