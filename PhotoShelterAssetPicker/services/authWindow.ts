/**
 * The two browser windows an OAuth redirect can land in: a hidden iframe (silent, `prompt=none`) and a
 * pop-up (interactive). Both end on our own redirect URI, whose address we can read once the window is
 * back on our origin. Kept apart from the token logic so that logic is testable without a browser.
 */
import { SignInRequiredError } from "./tokenProvider";

export interface AuthWindow {
  /** Loads the URL in a hidden iframe and resolves with the address it was redirected to. */
  silent(url: string, redirectUri: string): Promise<string>;
  /** Opens the URL in a pop-up and resolves with the address it was redirected to. */
  interactive(url: string, redirectUri: string): Promise<string>;
}

/** A window that brought no answer (timed out, blocked, closed): the user has to sign in from a click. */
const failed = (reason: "timeout" | "popup_blocked" | "cancelled") => new SignInRequiredError(`Sign-in window ${reason}`);

const POLL_MS = 100;

/** Polls a window until it is back on the redirect URI (reading a foreign origin throws until then). */
function waitForRedirect(target: () => Window | null, redirectUri: string, timeoutMs: number, isClosed: () => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (isClosed()) {
        clearInterval(timer);
        reject(failed("cancelled"));
        return;
      }
      let href = "";
      try {
        href = target()?.location.href ?? "";
      } catch {
        // Still on the identity provider's origin.
      }
      if (href.startsWith(redirectUri) && /[?#&](code|error)=/.test(href)) {
        clearInterval(timer);
        resolve(href);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(failed("timeout"));
      }
    }, POLL_MS);
  });
}

export function browserAuthWindow(doc: Document = document, silentTimeoutMs = 10_000, interactiveTimeoutMs = 300_000): AuthWindow {
  return {
    async silent(url, redirectUri) {
      const frame = doc.createElement("iframe");
      frame.setAttribute("aria-hidden", "true");
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms");
      frame.style.display = "none";
      frame.src = url;
      doc.body.appendChild(frame);
      try {
        return await waitForRedirect(() => frame.contentWindow, redirectUri, silentTimeoutMs, () => false);
      } finally {
        frame.remove();
      }
    },
    async interactive(url, redirectUri) {
      const view = doc.defaultView;
      const popup = view?.open(url, "psh_signin", "width=483,height=600,menubar=no,toolbar=no") ?? null;
      if (!popup) throw failed("popup_blocked");
      try {
        return await waitForRedirect(() => popup, redirectUri, interactiveTimeoutMs, () => popup.closed);
      } finally {
        popup.close();
      }
    },
  };
}
