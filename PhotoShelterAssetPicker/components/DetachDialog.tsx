import * as React from "../platform/react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { format, messageOf } from "../services/strings";
import { PickerDialog } from "./PickerDialog";
import { useStrings } from "./Strings";

export interface DetachDialogProps {
  fileName: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

/** "Detach this asset?": removes the link row only; the asset stays in PhotoShelter. */
export const DetachDialog = React.memo(function DetachDialog(props: DetachDialogProps) {
  const { fileName, onConfirm, onCancel } = props;
  const getString = useStrings();
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
    <PickerDialog
      alert
      title={getString("Detach_Title")}
      onClose={onCancel}
      busy={busy}
      confirm={{ label: getString("Action_Detach"), onClick: () => void confirm() }}
    >
      {format(getString("Detach_Body"), fileName)}
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{format(getString("Detach_Failed"), error)}</MessageBarBody>
        </MessageBar>
      ) : null}
    </PickerDialog>
  );
});
