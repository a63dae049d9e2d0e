/**
 * The host's dialogs behind `context.navigation`: alert, confirm and error, rendered as Fluent
 * dialogs over the form (Dynamics shows its own modal dialogs the same way: one at a time, focus
 * trapped, Escape cancels).
 */
import * as React from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";

export interface OpenDialog {
  kind: "alert" | "confirm" | "error";
  title: string;
  text: string;
  details?: string;
  confirmLabel: string;
  cancelLabel?: string;
  resolve(confirmed: boolean): void;
}

type Listener = (dialog: OpenDialog | null) => void;

export class DialogService {
  private readonly queue: OpenDialog[] = [];
  private listener: Listener = () => undefined;

  subscribe(listener: Listener): () => void {
    this.listener = listener;
    listener(this.queue[0] ?? null);
    return () => {
      this.listener = () => undefined;
    };
  }

  private open(dialog: Omit<OpenDialog, "resolve">): Promise<boolean> {
    return new Promise((resolve) => {
      this.queue.push({
        ...dialog,
        resolve: (confirmed) => {
          this.queue.shift();
          this.listener(this.queue[0] ?? null);
          resolve(confirmed);
        },
      });
      if (this.queue.length === 1) this.listener(this.queue[0]);
    });
  }

  alert(strings: ComponentFramework.NavigationApi.AlertDialogStrings): Promise<void> {
    return this.open({ kind: "alert", title: "", text: strings.text, confirmLabel: strings.confirmButtonLabel ?? "OK" }).then(() => undefined);
  }

  async confirm(strings: ComponentFramework.NavigationApi.ConfirmDialogStrings): Promise<ComponentFramework.NavigationApi.ConfirmDialogResponse> {
    const confirmed = await this.open({
      kind: "confirm",
      title: strings.title ?? "",
      text: [strings.subtitle, strings.text].filter(Boolean).join("\n\n"),
      confirmLabel: strings.confirmButtonLabel ?? "OK",
      cancelLabel: strings.cancelButtonLabel ?? "Cancel",
    });
    return { confirmed };
  }

  error(options: ComponentFramework.NavigationApi.ErrorDialogOptions): Promise<void> {
    const code = options.errorCode !== undefined ? `Error code: ${options.errorCode}` : undefined;
    return this.open({ kind: "error", title: "Error", text: options.message ?? "An error has occurred.", details: [options.details, code].filter(Boolean).join("\n"), confirmLabel: "OK" }).then(() => undefined);
  }
}


export function DialogHost({ service }: { service: DialogService }): React.ReactElement | null {
  const [dialog, setDialog] = React.useState<OpenDialog | null>(null);
  React.useEffect(() => service.subscribe(setDialog), [service]);
  if (!dialog) return null;
  return (
    <Dialog open modalType={dialog.kind === "confirm" ? "alert" : "modal"} onOpenChange={(_event, data) => (data.open ? undefined : dialog.resolve(false))}>
      <DialogSurface data-testid={`workbench-${dialog.kind}-dialog`}>
        <DialogBody>
          <DialogTitle>{dialog.title}</DialogTitle>
          <DialogContent>
            <p className="wb-dialog-text">{dialog.text}</p>
            {dialog.details ? <pre className="wb-dialog-details">{dialog.details}</pre> : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => dialog.resolve(true)}>
              {dialog.confirmLabel}
            </Button>
            {dialog.cancelLabel ? <Button onClick={() => dialog.resolve(false)}>{dialog.cancelLabel}</Button> : null}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
