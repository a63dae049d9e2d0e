/**
 * What the page shows, kept in its address (like a Dynamics form URL: etn + id), so every form,
 * user, language and theme has a link: ?form=account&id=<guid>&user=<systemuserid>&lang=1031&theme=dark
 * (&client=mobile: the Dynamics mobile app, which opens no pop-ups)
 * Changing any of them loads the page again, as switching record, user or personal options does in Dynamics.
 */
import { ThemeName } from "./controlHost";

export interface WorkbenchParams {
  form: string | null;
  /** Record id, "new" for an unsaved record, or null for the first record of the table. */
  id: string | null;
  user: string | null;
  languageId: number;
  theme: ThemeName;
  readOnly: boolean;
  /** The Dynamics 365 client the form runs in: a web browser, or the mobile app (phone form factor, no pop-ups). */
  client: "web" | "mobile";
}

export function readParams(search: string): WorkbenchParams {
  const query = new URLSearchParams(search);
  const lang = Number(query.get("lang"));
  return {
    form: query.get("form"),
    id: query.get("id"),
    user: query.get("user"),
    languageId: Number.isInteger(lang) && lang > 0 ? lang : 1033,
    theme: query.get("theme") === "dark" ? "dark" : "light",
    readOnly: query.get("readonly") === "1",
    client: query.get("client") === "mobile" ? "mobile" : "web",
  };
}

export function paramsToSearch(params: WorkbenchParams): string {
  const query = new URLSearchParams();
  if (params.form) query.set("form", params.form);
  if (params.id) query.set("id", params.id);
  if (params.user) query.set("user", params.user);
  if (params.languageId !== 1033) query.set("lang", String(params.languageId));
  if (params.theme !== "light") query.set("theme", params.theme);
  if (params.readOnly) query.set("readonly", "1");
  if (params.client !== "web") query.set("client", params.client);
  return `?${query.toString()}`;
}
